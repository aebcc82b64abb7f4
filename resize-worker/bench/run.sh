#!/usr/bin/env bash
# Worker micro-benchmark: Java pipeline vs Pillow vs libvips on the same images. Not part of the test run.
#   resize-worker/bench/run.sh     (ROUNDS=15 BATCH=10 WARMUP_SECONDS=4 by default; results also in target/bench/results.md)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v vipsthumbnail >/dev/null || { echo "install libvips-tools (apt-get install libvips-tools)"; exit 1; }
/usr/bin/python3 -c 'import PIL' 2>/dev/null || { echo "install python3-pil (apt-get install python3-pil)"; exit 1; }
# From the root with -am, so the sibling modules (contracts) resolve from the reactor on a machine that never installed them.
(cd .. && ./mvnw -q -B -pl resize-worker -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test)
mkdir -p target/bench
CP="target/test-classes:target/classes:$(cat target/bench.classpath)"
# The heap is capped as in the worker's run configuration; serial GC as for a small container.
/usr/bin/python3 bench/bench.py java -Xmx256m -XX:+UseSerialGC -cp "$CP" dev.thumbnail.worker.bench.BenchServer \
  | tee target/bench/results.md
