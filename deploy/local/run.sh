#!/usr/bin/env bash
# Runs the whole thumbnail service on this machine without Docker: a Kafka broker (KRaft, from the Maven Central
# jars), a redis-server, the api-service and the resize-worker. Stays in the foreground; Ctrl-C or SIGTERM stops
# everything it started.
#
#   deploy/local/run.sh
#
# Settings (environment variables):
#   API_PORT      8000    HTTP port of the API (the old service's port)
#   API_MANAGEMENT_PORT 8001  the API's health and metrics (Quarkus' management interface, off the clients' port)
#   WORKER_PORT   8081    HTTP port of the worker (health and metrics)
#   KAFKA_PORT    9092    Kafka listener; the KRaft controller takes KAFKA_PORT+1
#   REDIS_PORT    6380    redis-server port (not 6379, so that a system Redis is left alone)
#   DATA_DIR      .data   broker log, bucket and log files (git-ignored)
#   STORAGE       fs      where the bucket is: fs, the directory DATA_DIR/bucket; s3, a local S3-API server (S3Proxy,
#                         from Maven Central) on S3_PORT with its data under DATA_DIR/s3, both services pointed at it
#   S3_PORT       9000    the local S3-API server's port (STORAGE=s3)
#   API_JAVA_OPTS, WORKER_JAVA_OPTS   JVM options added after deploy/jvm/*.options (profiling, experiments)
#   KAFKA_JAVA_OPTS  -Xmx512m -XX:+UseSerialGC   the broker's JVM options; -Dlocalkafka.<setting>=<value> sets any
#                         broker setting (LocalKafka writes the rest)
# Every other setting goes to the services through their usual environment variables (THUMBNAIL_..., QUARKUS_...).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
API_PORT="${API_PORT:-8000}"
API_MANAGEMENT_PORT="${API_MANAGEMENT_PORT:-8001}"
WORKER_PORT="${WORKER_PORT:-8081}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
REDIS_PORT="${REDIS_PORT:-6380}"
STORAGE="${STORAGE:-fs}"
S3_PORT="${S3_PORT:-9000}"
case "$STORAGE" in fs|s3) ;; *) printf '[run.sh] error: STORAGE must be fs or s3, not %s\n' "$STORAGE" >&2; exit 1 ;; esac
DATA_DIR="$(mkdir -p "${DATA_DIR:-$ROOT/.data}" && cd "${DATA_DIR:-$ROOT/.data}" && pwd)"
LOG_DIR="$DATA_DIR/logs"
mkdir -p "$LOG_DIR" "$DATA_DIR/redis" "$DATA_DIR/kafka"
[ "$STORAGE" = fs ] && mkdir -p "$DATA_DIR/bucket"

say() { printf '[run.sh] %s\n' "$*"; }
die() { printf '[run.sh] error: %s\n' "$*" >&2; exit 1; }

# What a fresh Debian/Ubuntu machine lacks is installed (as root, or with sudo when it asks for no password); otherwise
# this stops here and names the apt-get command. libturbojpeg0 is optional for the worker (it falls back to pure-Java
# codecs, several times slower on JPEGs), so it is installed like the rest rather than left to chance.
. "$ROOT/deploy/local/packages.sh"
need_packages "deploy/local/run.sh" openjdk-17-jdk-headless redis-server libturbojpeg0 curl

PORTS=("$API_PORT" "$API_MANAGEMENT_PORT" "$WORKER_PORT" "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$REDIS_PORT")
[ "$STORAGE" = s3 ] && PORTS+=("$S3_PORT")
for port in "${PORTS[@]}"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    die "port $port is already in use; set API_PORT, API_MANAGEMENT_PORT, WORKER_PORT, KAFKA_PORT, REDIS_PORT or S3_PORT"
  fi
done

# ---- build what is missing or stale --------------------------------------------------------------------------------
stale() { # stale JAR MODULE...: the jar is missing or older than a source or pom of the modules
  local jar="$1"; shift
  [ -f "$jar" ] || return 0
  local module
  for module in "$@"; do
    [ -z "$(find "$ROOT/$module/src/main" "$ROOT/$module/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ] || return 0
  done
  return 1
}
BROKER_CP_FILE="$ROOT/dev-infra/target/classes/dev/thumbnail/devinfra/kafka-broker.classpath"
S3_CP_FILE="$ROOT/dev-infra/target/classes/dev/thumbnail/devinfra/s3proxy.classpath"
API_JAR="$ROOT/api-service/target/quarkus-app/quarkus-run.jar"
WORKER_JAR="$ROOT/resize-worker/target/quarkus-app/quarkus-run.jar"
if [ ! -f "$BROKER_CP_FILE" ] || [ ! -f "$S3_CP_FILE" ] \
  || stale "$API_JAR" contracts image-meta storage service-common api-service \
  || stale "$WORKER_JAR" contracts image-meta storage service-common resize-worker; then
  say "building the services (first run: Maven also fetches the Kafka broker and S3Proxy jars) ..."
  # -am: every module they are made from, test-scoped ones included (a fresh ~/.m2 has none of them).
  (cd "$ROOT" && ./mvnw -q -B install -DskipTests -pl dev-infra,api-service,resize-worker -am) \
    || die "build failed"
fi
BROKER_CP="$(cat "$BROKER_CP_FILE"):$ROOT/dev-infra/target/classes"

# ---- start, and stop everything on exit ----------------------------------------------------------------------------
PIDS=()
stop_all() {
  trap - INT TERM EXIT
  say "stopping ..."
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill -TERM "${PIDS[$i]}" 2>/dev/null || true
    wait "${PIDS[$i]}" 2>/dev/null || true
  done
  say "stopped"
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

wait_for() { # wait_for NAME PID SECONDS CHECK...
  local name="$1" pid="$2" seconds="$3"; shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || die "$name exited; see $LOG_DIR/$name.log"
    [ "$SECONDS" -lt "$deadline" ] || die "$name not ready after ${seconds}s; see $LOG_DIR/$name.log"
    sleep 0.5
  done
  say "$name is ready"
}
http_ok() { curl -fsS -o /dev/null --max-time 2 "$1"; }
redis_ping() { [ "$(printf 'PING\r\n' | timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$REDIS_PORT; cat >&3; head -c 5 <&3")" = "+PONG" ]; }
kafka_up() { grep -q "Kafka Server started" "$LOG_DIR/kafka.log"; }

say "starting redis-server on port $REDIS_PORT"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$DATA_DIR/redis" \
  >"$LOG_DIR/redis.log" 2>&1 &
PIDS+=($!)
wait_for redis $! 20 redis_ping

say "starting Kafka on port $KAFKA_PORT"
: >"$LOG_DIR/kafka.log"
java ${KAFKA_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC} -cp "$BROKER_CP" dev.thumbnail.devinfra.LocalKafka \
  --port "$KAFKA_PORT" --controller-port "$KAFKA_CONTROLLER_PORT" --dir "$DATA_DIR/kafka" \
  >"$LOG_DIR/kafka.log" 2>&1 &
PIDS+=($!)
wait_for kafka $! 120 kafka_up

export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT"
if [ "$STORAGE" = s3 ]; then
  say "starting the local S3-API server (S3Proxy) on port $S3_PORT"
  java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -cp "$(cat "$S3_CP_FILE"):$ROOT/dev-infra/target/classes" dev.thumbnail.devinfra.LocalS3 \
    --port "$S3_PORT" --dir "$DATA_DIR/s3" >"$LOG_DIR/s3proxy.log" 2>&1 &
  PIDS+=($!)
  wait_for s3proxy $! 60 bash -c "exec 3<>/dev/tcp/127.0.0.1/$S3_PORT"
  export THUMBNAIL_STORAGE_TYPE=s3
  export THUMBNAIL_STORAGE_S3_ENDPOINT="http://127.0.0.1:$S3_PORT"
  export THUMBNAIL_STORAGE_S3_PATH_STYLE_ACCESS=true
  export AWS_ACCESS_KEY_ID=thumbnail-local AWS_SECRET_ACCESS_KEY=thumbnail-local-secret AWS_REGION=us-east-1
  BUCKET_AT="s3://thumbnails at http://127.0.0.1:$S3_PORT (data: $DATA_DIR/s3)"
else
  export THUMBNAIL_STORAGE_DIR="$DATA_DIR/bucket"
  BUCKET_AT="$DATA_DIR/bucket"
fi

# The JVM options every deployment uses (deploy/jvm/); API_JAVA_OPTS and WORKER_JAVA_OPTS are added after them.
# glibc gives each thread that allocates its own malloc arena (64 MB of address space each, some of it resident); two
# are plenty for these services and keep their RSS down.
export MALLOC_ARENA_MAX=2

say "starting api-service on port $API_PORT"
QUARKUS_HTTP_PORT="$API_PORT" QUARKUS_MANAGEMENT_PORT="$API_MANAGEMENT_PORT" QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT" \
  java @"$ROOT/deploy/jvm/api-service.options" ${API_JAVA_OPTS:-} -jar "$API_JAR" >"$LOG_DIR/api-service.log" 2>&1 &
PIDS+=($!)
API_PID=$!

say "starting resize-worker on port $WORKER_PORT"
QUARKUS_HTTP_PORT="$WORKER_PORT" \
  java @"$ROOT/deploy/jvm/resize-worker.options" ${WORKER_JAVA_OPTS:-} -jar "$WORKER_JAR" \
  >"$LOG_DIR/resize-worker.log" 2>&1 &
PIDS+=($!)
WORKER_PID=$!

wait_for api-service "$API_PID" 120 http_ok "http://127.0.0.1:$API_MANAGEMENT_PORT/q/health/ready"
wait_for resize-worker "$WORKER_PID" 120 http_ok "http://127.0.0.1:$WORKER_PORT/q/health/ready"

# Which JPEG codec the worker took (libjpeg-turbo, or the pure-Java fallback and why), from its start-up log.
JPEG_CODEC="$(grep -o 'JPEG decoder: .*' "$LOG_DIR/resize-worker.log" | head -n 1 || true)"
{
  printf 'api-service %s\nresize-worker %s\nkafka %s\nredis %s\n' "$API_PID" "$WORKER_PID" "${PIDS[1]}" "${PIDS[0]}"
  [ "$STORAGE" = s3 ] && printf 's3proxy %s\n' "${PIDS[2]}"
} >"$DATA_DIR/run.pids"

cat <<READY
READY: http://localhost:$API_PORT
  worker:    ${JPEG_CODEC:-JPEG decoder: unknown (see $LOG_DIR/resize-worker.log)}
  upload:    curl -F image_data=@$ROOT/dataset/hyperbolic_square_613x624.png http://localhost:$API_PORT/create
  status:    curl http://localhost:$API_PORT/status/<task_id>
  thumbnail: curl -o thumb.png http://localhost:$API_PORT/thumbnail/<task_id>
  health:    http://localhost:$API_MANAGEMENT_PORT/q/health   metrics: http://localhost:$API_MANAGEMENT_PORT/q/metrics
  logs: $LOG_DIR   bucket: $BUCKET_AT
Press Ctrl-C to stop everything.
READY

# Stay in the foreground until a service dies or we are told to stop.
while kill -0 "$API_PID" 2>/dev/null && kill -0 "$WORKER_PID" 2>/dev/null; do
  sleep 1
done
die "a service exited unexpectedly; see $LOG_DIR"
