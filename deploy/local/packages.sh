# Sourced by test.sh and deploy/local/run.sh: installs the system packages a command needs, or names the command to
# run when it cannot. Debian and Ubuntu package names; each package is checked by what it provides (a program or a
# shared library), so a machine that has them from elsewhere is left alone.
#
#   need_packages "what for" PACKAGE...     installs the missing ones (as root, or with sudo when it asks for no
#                                           password), else stops with the apt-get command to run
#   package_present PACKAGE                 whether the package's program or library is there

# What each package provides; its presence is what is checked.
package_present() {
  case "$1" in
    openjdk-17-jdk-headless) command -v javac >/dev/null 2>&1 ;;
    redis-server) command -v redis-server >/dev/null 2>&1 ;;
    curl) command -v curl >/dev/null 2>&1 ;;
    git) command -v git >/dev/null 2>&1 ;;
    libturbojpeg0) library_present 'libturbojpeg\.so\.0' ;;
    webp) command -v cwebp >/dev/null 2>&1 ;;
    libjpeg-turbo-progs) command -v jpegtran >/dev/null 2>&1 ;;
    chromium) [ -x /usr/bin/chromium ] ;;
    chromium-driver) [ -x /usr/bin/chromedriver ] ;;
    python3-pil) /usr/bin/python3 -c 'import PIL' >/dev/null 2>&1 ;;
    debootstrap) command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] ;;
    *) dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' ;;
  esac
}

library_present() { # library_present REGEX: a shared library the dynamic linker knows
  local ldconfig
  ldconfig="$(command -v ldconfig || echo /sbin/ldconfig)"
  "$ldconfig" -p 2>/dev/null | grep -q "$1"
}

need_packages() {
  local purpose="$1"; shift
  local missing=() package
  for package in "$@"; do
    package_present "$package" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}")
  local update=(apt-get update -q)
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo=(sudo)
    else
      printf '[packages] %s needs: %s\n[packages] run: sudo apt-get update && sudo apt-get install -y %s\n' \
        "$purpose" "${missing[*]}" "${missing[*]}" >&2
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    printf '[packages] %s needs: %s (Debian/Ubuntu package names; install the equivalents)\n' \
      "$purpose" "${missing[*]}" >&2
    exit 1
  fi
  printf '[packages] %s: installing %s\n' "$purpose" "${missing[*]}"
  # The package lists of a fresh machine are empty, and old ones may name versions the mirror no longer has.
  "${sudo[@]}" "${update[@]}" >/dev/null || { printf '[packages] apt-get update failed\n' >&2; exit 1; }
  "${sudo[@]}" "${install[@]}" >/dev/null || {
    printf '[packages] installing %s failed; run: sudo apt-get install -y %s\n' "${missing[*]}" "${missing[*]}" >&2
    exit 1
  }
  for package in "${missing[@]}"; do
    package_present "$package" || { printf '[packages] %s installed but not found\n' "$package" >&2; exit 1; }
  done
}
