#!/usr/bin/env bash
# End-to-end load benchmark (LoadBenchmark): packages both services, then runs only that class, which starts the
# packaged API and worker, a real Kafka broker and a real redis-server on loopback. Not part of the test run; bounded
# (a fixed number of images per phase). Figures go to docs/BENCHMARKS.md by hand.
#   system-tests/load.sh          (extra Maven arguments are passed on, e.g. -o)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B verify -pl system-tests -am -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=LoadBenchmark -Dfailsafe.failIfNoSpecifiedTests=false "$@"
