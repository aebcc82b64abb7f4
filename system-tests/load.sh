#!/usr/bin/env bash
# Whole-system benchmark (docs/BENCHMARKS.md): starts deploy/local/run.sh with its defaults, drives it with clients
# that upload and poll every 20 ms (and with ?wait=), and reports the CPU per completed image of the API, worker,
# Kafka broker and Redis against Pillow's warm loop on the same files, measured in the same run; then the worker per
# file, Pillow's loop again while the system is under load (beside the yardstick, not in its place), throughput and
# latency at 1, 4 and 16 clients, each step's cost alone, and RSS after a steady load. The measurements start once
# the JIT compilers are nearly done (a warm-up of 1 to 10 minutes: SystemBenchmark.warmUp). About 12 minutes on 2
# cores. Not part of the test run; loopback only, bounded counts, stops by itself.
#
#   system-tests/load.sh                                   the whole report (also in system-tests/target/system-benchmark.md)
#   system-tests/load.sh --soak-seconds 0 --per-file false a quicker one
#   STORAGE=s3 system-tests/load.sh                        the same with the bucket on S3 (run.sh's local S3Proxy)
#
# Options (--name value): --images 1200 (per measured phase), --per-file-images 240, --step-images 300,
# --warmup-seconds 60 (at least), --warmup-max-seconds 600, --pillow-seconds 2 (per file, in all), --pillow-rounds 5,
# --pillow-under-load true, --soak-seconds 180, --per-file true, --modes poll,wait, --concurrency 1,4,16, --corpus
# ../shared/corpus (the image corpus beside the checkout), --data-dir (kept; by default a new temp dir, deleted at the
# end: a full run writes about 15 GB), --out system-tests/target/system-benchmark.md. Uses ports 8000, 8081,
# 9092-9093 and 6380 (run.sh's defaults).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. deploy/local/packages.sh
need_packages "system-tests/load.sh" python3-pil
# From the root with -am, so the sibling modules resolve from the reactor; run.sh builds the services it starts.
./mvnw -q -B -pl system-tests -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -Xmx256m -cp "system-tests/target/test-classes:$(cat system-tests/target/bench.classpath)" \
  dev.thumbnail.system.bench.SystemBenchmark --repo . --out system-tests/target/system-benchmark.md "$@"
