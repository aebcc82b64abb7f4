"""Pillow's warm loop, the yardstick of system-tests/load.sh: Image.open + thumbnail((100, 100)) + save, in one
long-lived process, as the old service's Celery worker ran it. Prints one line per file: path, CPU ms per image
(time.process_time, the whole process) and wall ms per image, tab-separated.

    /usr/bin/python3 pillow_loop.py SECONDS_PER_FILE FILE...
"""
import io
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
    # Warm: the file in the page cache, the codecs' tables built.
    warm_until = time.perf_counter() + min(0.5, seconds / 4)
    while time.perf_counter() < warm_until:
        thumbnail(path)
    count = 0
    cpu, wall = time.process_time(), time.perf_counter()
    until = wall + seconds
    while count < 5 or time.perf_counter() < until:
        thumbnail(path)
        count += 1
    return (time.process_time() - cpu) * 1e3 / count, (time.perf_counter() - wall) * 1e3 / count


def main():
    seconds = float(sys.argv[1])
    for path in sys.argv[2:]:
        cpu_ms, wall_ms = measure(path, seconds)
        print(f"{path}\t{cpu_ms:.3f}\t{wall_ms:.3f}", flush=True)


if __name__ == "__main__":
    main()
