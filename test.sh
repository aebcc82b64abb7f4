#!/usr/bin/env bash
# The project's test command (README "Test it"; .ci/run runs it too): installs the system packages the tests need
# when they are missing, then runs every test with ./mvnw verify. Extra arguments go to Maven (e.g. -o, -pl api-service).
#
#   ./test.sh
#
# A test that needs a package which is still missing is skipped with the package's name, and listed at the end; with
# CI=true it fails instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
. deploy/local/packages.sh

# redis-server: the tests start their own Redis. libturbojpeg0: the worker's fast JPEG path. webp (cwebp) and
# libjpeg-turbo-progs (jpegtran) make test images the JDK cannot write. chromium + chromium-driver: the dashboard test.
need_packages "the tests" openjdk-17-jdk-headless redis-server libturbojpeg0 webp libjpeg-turbo-progs \
  chromium chromium-driver

started="$(mktemp)"
trap 'rm -f "$started"' EXIT
status=0
./mvnw -B verify "$@" || status=$?

# Tests skipped for a missing package (or a missing data folder) say so in their reports; list them once each.
skipped="$(find . -path '*/target/*-reports/TEST-*.xml' -newer "$started" -print0 2>/dev/null \
  | xargs -0 -r grep -ho '<skipped message="[^"]*"' \
  | sed -e 's/^<skipped message="//' -e 's/"$//' -e 's/&apos;/'"'"'/g' -e 's/&quot;/"/g' -e 's/&amp;/\&/g' \
  | sort | uniq -c || true)"
if [ -n "$skipped" ]; then
  echo "[test.sh] tests skipped (count, reason):"
  echo "$skipped" | sed 's/^/[test.sh]   /'
fi
exit "$status"
