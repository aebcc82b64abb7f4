"""Pillow's warm loop, the yardstick of system-tests/load.sh: Image.open + thumbnail((100, 100)) + save, in one
long-lived process, as the old service's Celery worker ran it. Prints one line per file: path, CPU ms per image
(time.process_time, the whole process) and wall ms per image, tab-separated: each the median over ROUNDS rounds.

    /usr/bin/python3 pillow_loop.py SECONDS_PER_FILE ROUNDS FILE...

The rounds go through the files in turn (file 1, 2, ..., then again), so that a slow spell of this shared machine
(another process, the CPU's clock) lands on one round of several files rather than on every round of one file; the
median drops it. Measured on this machine, a single 2 s measurement of the same file differed by up to 1.5x between
two runs a few minutes apart.
"""
import io
import statistics
import sys
import time

from PIL import Image


def thumbnail(path):
    with Image.open(path) as image:
        image.thumbnail((100, 100))
        fmt = "JPEG" if image.format == "JPEG" else "PNG"
        if fmt == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format=fmt, quality=85)
    return buffer.getvalue()


def measure(path, seconds):
    count = 0
    cpu, wall = time.process_time(), time.perf_counter()
    until = wall + seconds
    while count < 3 or time.perf_counter() < until:
        thumbnail(path)
        count += 1
    return (time.process_time() - cpu) * 1e3 / count, (time.perf_counter() - wall) * 1e3 / count


def main():
    seconds = float(sys.argv[1])
    rounds = max(1, int(sys.argv[2]))
    paths = sys.argv[3:]
    # Warm: the files in the page cache, the codecs' tables built.
    for path in paths:
        measure(path, min(0.3, seconds / 4))
    cpu = {path: [] for path in paths}
    wall = {path: [] for path in paths}
    for _ in range(rounds):
        for path in paths:
            cpu_ms, wall_ms = measure(path, seconds / rounds)
            cpu[path].append(cpu_ms)
            wall[path].append(wall_ms)
    for path in paths:
        print(f"{path}\t{statistics.median(cpu[path]):.3f}\t{statistics.median(wall[path]):.3f}", flush=True)


if __name__ == "__main__":
    main()
