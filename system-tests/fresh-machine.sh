#!/usr/bin/env bash
# Tries the README's two commands as a new user would, on a fresh Debian root: debootstrap's minbase plus a JDK, git
# and curl, nothing else. Clones this checkout's HEAD into it, then inside it runs
#   1. deploy/local/run.sh as a user without root or sudo: it must stop at once and name the apt-get command;
#   2. deploy/local/run.sh as root: it installs what it needs, builds, starts everything; one upload must reach SUCCESS;
#   3. ./test.sh (the README's test command) as root: it installs what the tests need and runs them all.
# Prints how long each took and what failed; exits non-zero when anything did. Not part of ./test.sh: it needs root
# and about 15 minutes on 2 cores (most of it Maven fetching every dependency into the fresh root).
#
#   sudo system-tests/fresh-machine.sh            KEEP=1 keeps the root for a look inside (FRESH_ROOT=/path to choose it)
#
# The Debian mirror and suite come from this machine's apt sources; certificates this machine trusts beyond Debian's
# (an egress proxy's CA, say) are copied in, so that apt, curl and Maven inside reach what they reach here. The
# services inside share this machine's network: run.sh inside uses ports 18000-18100, away from the defaults.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ "$(id -u)" -eq 0 ] || { echo "run as root (debootstrap and chroot need it)" >&2; exit 1; }
. "$REPO/deploy/local/packages.sh"
need_packages "system-tests/fresh-machine.sh" debootstrap git

ROOT="${FRESH_ROOT:-$(mktemp -d /var/tmp/fresh-machine.XXXXXX)}"
say() { printf '[fresh-machine] %s\n' "$*"; }
FAILED=()
TIMES=()

mirror_and_suite() { # the first Debian archive in the apt sources (deb822 .sources or one-line .list)
  local file uri suite
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -f "$file" ] || continue
    uri="$(awk '/^URIs:/ {print $2; exit}' "$file")"
    suite="$(awk '/^Suites:/ {print $2; exit}' "$file")"
    if [ -n "$uri" ] && [[ "$uri" != *security* ]]; then echo "$uri $suite"; return; fi
  done
  awk '$1 == "deb" && $2 !~ /security/ && $2 !~ /^\[/ {print $2, $3; exit}' /etc/apt/sources.list \
    /etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1
}
read -r MIRROR SUITE < <(mirror_and_suite)
[ -n "${MIRROR:-}" ] || { echo "no Debian mirror found in /etc/apt/sources.list*" >&2; exit 1; }

cleanup() {
  # Whatever the scripts inside left running (a failed run.sh, a test's broker) goes before the mounts do.
  local pid
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$ROOT" ] && kill -9 "$pid" 2>/dev/null || true
  done
  sleep 1
  local mount
  for mount in dev/shm dev/pts dev sys proc; do
    mountpoint -q "$ROOT/$mount" && umount -l "$ROOT/$mount" || true
  done
  if [ -z "${KEEP:-}" ] && [ -z "${FRESH_ROOT:-}" ]; then
    rm -rf "$ROOT"
  else
    say "kept $ROOT"
  fi
}
trap cleanup EXIT

timed() { # timed NAME COMMAND...: runs it, records its duration and whether it failed
  local name="$1"; shift
  local start=$SECONDS
  say "$name ..."
  if "$@"; then
    TIMES+=("$name: $((SECONDS - start)) s")
  else
    TIMES+=("$name: FAILED after $((SECONDS - start)) s")
    FAILED+=("$name")
  fi
}

inside() { # inside COMMAND: a login shell in the root, with a plain environment
  chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 TERM=dumb /bin/bash -lc "$1"
}

make_root() {
  chmod 755 "$ROOT" # mktemp made it 0700: a fresh machine's / is world-readable
  if [ ! -x "$ROOT/usr/bin/javac" ]; then
    debootstrap --variant=minbase --include=openjdk-17-jdk-headless,git,curl,ca-certificates \
      "$SUITE" "$ROOT" "$MIRROR" >"$ROOT.debootstrap.log" 2>&1 \
      || { tail -n 20 "$ROOT.debootstrap.log"; return 1; }
  fi
  # Every installed machine has these two (debootstrap leaves them out): name service, and localhost in hosts.
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  [ -f "$ROOT/etc/hosts" ] || printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t%s\n' \
    "$(hostname)" >"$ROOT/etc/hosts"
  # The host's apt sources (mirror, security updates) and any options its network needs.
  if compgen -G '/etc/apt/sources.list.d/debian*' >/dev/null; then
    cp -a /etc/apt/sources.list.d/. "$ROOT/etc/apt/sources.list.d/"
    rm -f "$ROOT/etc/apt/sources.list"
  fi
  [ -f /etc/apt/sources.list ] && cp /etc/apt/sources.list "$ROOT/etc/apt/sources.list"
  find "$ROOT/etc/apt/sources.list.d" -type f ! -name 'debian*' -delete 2>/dev/null || true
  for conf in /etc/apt/apt.conf.d/*; do
    grep -q 'Acquire::' "$conf" 2>/dev/null && cp "$conf" "$ROOT/etc/apt/apt.conf.d/" || true
  done
  # Certificates trusted here that no Debian package provides: regular .pem/.crt files in /etc/ssl/certs, and those
  # added by the administrator in /usr/local/share/ca-certificates.
  local cert n=0
  mkdir -p "$ROOT/usr/local/share/ca-certificates"
  for cert in /etc/ssl/certs/*.pem /etc/ssl/certs/*.crt /usr/local/share/ca-certificates/*.crt; do
    [ -f "$cert" ] && [ ! -L "$cert" ] && [ "$(basename "$cert")" != ca-certificates.crt ] || continue
    dpkg -S "$cert" >/dev/null 2>&1 && continue
    cp "$cert" "$ROOT/usr/local/share/ca-certificates/host-extra-$((n += 1)).crt"
  done
  # Mounted first: Java (run by the ca-certificates-java hook below) finds itself through /proc.
  mountpoint -q "$ROOT/proc" || mount -t proc proc "$ROOT/proc"
  mountpoint -q "$ROOT/sys" || mount -t sysfs sys "$ROOT/sys"
  mountpoint -q "$ROOT/dev" || mount --bind /dev "$ROOT/dev"
  mountpoint -q "$ROOT/dev/pts" || mount --bind /dev/pts "$ROOT/dev/pts"
  mkdir -p "$ROOT/dev/shm" && { mountpoint -q "$ROOT/dev/shm" || mount -t tmpfs shm "$ROOT/dev/shm"; }
  [ "$n" -eq 0 ] || { say "copied $n extra CA certificate(s)"; inside 'update-ca-certificates >/dev/null 2>&1'; }
  rm -rf "$ROOT/root/thumbnail"
  git clone -q "$REPO" "$ROOT/root/thumbnail"
  # The shared image corpus sits beside the checkout on the development machines; the corpus test reads it there.
  if [ -d "$REPO/../shared/corpus" ]; then
    mkdir -p "$ROOT/root/shared" && cp -a "$REPO/../shared/corpus" "$ROOT/root/shared/"
  fi
  inside 'id -u newcomer >/dev/null 2>&1 || useradd -m newcomer'
}

run_without_rights() { # run.sh as a user who may not install: it must stop within seconds and name the command
  local output
  output="$(inside 'cp -r /root/thumbnail /home/newcomer/ && chown -R newcomer /home/newcomer/thumbnail \
    && cd /home/newcomer/thumbnail && timeout 60 su newcomer -c "deploy/local/run.sh" 2>&1; echo "exit=$?"')"
  echo "$output" | tail -n 3
  echo "$output" | grep -q 'run: sudo apt-get update && sudo apt-get install -y .*redis-server' \
    && ! echo "$output" | grep -q 'exit=0'
}

test_command() {
  inside 'cd /root/thumbnail && ./test.sh' >"$ROOT.test.log" 2>&1 \
    || { grep -E 'Tests run:|FAIL|ERROR|\[packages\]|test.sh' "$ROOT.test.log" | tail -n 30; return 1; }
  grep -E '^\[INFO\] (Tests run:|BUILD)|\[test.sh\]|\[packages\]' "$ROOT.test.log" | tail -n 12
}

run_command() { # no procps in minbase: the script's own pid file, and kill -0, instead of pgrep
  inside 'cd /root/thumbnail
    API_PORT=18000 WORKER_PORT=18081 KAFKA_PORT=18092 REDIS_PORT=18079 deploy/local/run.sh >/root/run.log 2>&1 &
    echo $! >/root/run.pid
    for i in $(seq 1 900); do grep -q "^READY" /root/run.log && break; kill -0 $(cat /root/run.pid) || break; sleep 1; done
    grep -E "READY|worker:|error|packages" /root/run.log || true
    grep -q "^READY" /root/run.log || exit 1
    id=$(curl -fsS -F image_data=@dataset/hyperbolic_square_613x624.png http://localhost:18000/create \
      | sed -E "s/.*\"task_id\":\"([0-9a-f-]+)\".*/\1/")
    for i in $(seq 1 60); do
      status=$(curl -fsS "http://localhost:18000/status/$id")
      case "$status" in *SUCCESS*) echo "upload $id: $status"; break ;; *FAILURE*) echo "$status"; exit 1 ;; esac
      sleep 0.5
    done
    echo "$status" | grep -q SUCCESS || exit 1
    curl -fsS -o /tmp/thumb.png "http://localhost:18000/thumbnail/$id" || exit 1
    kill -TERM $(cat /root/run.pid)
    for i in $(seq 1 30); do kill -0 $(cat /root/run.pid) 2>/dev/null || exit 0; sleep 1; done
    echo "run.sh did not stop within 30 s of SIGTERM"; exit 1'
}

say "Debian $SUITE from $MIRROR into $ROOT"
timed "fresh root (debootstrap minbase + JDK, git, curl)" make_root
if [ ${#FAILED[@]} -eq 0 ]; then
  timed "run command without root or sudo (must name the apt-get command)" run_without_rights
  timed "run command: deploy/local/run.sh, one upload to SUCCESS" run_command
  timed "test command: ./test.sh" test_command
fi

say "---- summary"
printf '[fresh-machine]   %s\n' "${TIMES[@]}"
if [ ${#FAILED[@]} -gt 0 ]; then
  say "FAILED: ${FAILED[*]} (logs: $ROOT.*.log, and /root/run.log inside; KEEP=1 keeps the root)"
  exit 1
fi
say "all passed"
