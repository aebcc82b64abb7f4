#!/usr/bin/python3
"""Worker micro-benchmark: the worker's Java pipeline, Pillow and libvips side by side, same images, interleaved.

Run through run.sh next to this file. Needs Debian's python3-pil and libvips-tools. CPU time per image is measured in
long-lived processes, in batches of BATCH images in a row (as a busy worker runs): the Java pipeline in a warmed JVM
(BenchServer, the whole process's CPU time, JIT and GC threads included), Pillow in this process (process_time),
libvips as vipsthumbnail over BATCH copies per call (children's CPU time / BATCH, so its start-up is amortised).
Each round runs every engine on every image in turn; medians over the rounds are reported, and for the Java/Pillow
ratio also its spread over the rounds (each round's ratio compares batches run seconds apart).
"""
import functools
import io
import math
import os
import resource
import statistics
import subprocess
import sys
import time

from PIL import Image, ImageDraw, ImageFilter

ROUNDS = int(os.environ.get("ROUNDS", "15"))
# The JVM's JIT keeps compiling for about a thousand small images: each engine is warmed this long on each image.
WARMUP_SECONDS = float(os.environ.get("WARMUP_SECONDS", "4"))
BATCH = int(os.environ.get("BATCH", "10"))


def photo(width, height, seed):
    """A photo-like scene: gradients, soft shapes, and sensor-like noise (which is what makes JPEGs costly)."""
    base = Image.linear_gradient("L").resize((width, height))
    radial = Image.radial_gradient("L").resize((width, height))
    image = Image.merge("RGB", (base, radial, base.transpose(Image.Transpose.FLIP_LEFT_RIGHT)))
    draw = ImageDraw.Draw(image)
    rng = __import__("random").Random(seed)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(min(width, height) // 30, min(width, height) // 6)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    image = image.filter(ImageFilter.GaussianBlur(radius=max(1, width // 800)))
    noise = Image.effect_noise((width, height), 18).convert("RGB")
    return Image.blend(image, noise, 0.12)


def zone_plate(size):
    """Fine detail up to the Nyquist limit: aliasing shows up as false rings in a bad thumbnail."""
    image = Image.new("L", (size, size))
    pixels = image.load()
    k = math.pi / size
    for y in range(size):
        for x in range(size):
            dx, dy = x - size / 2, y - size / 2
            pixels[x, y] = int(127.5 + 127.5 * math.cos(k * (dx * dx + dy * dy)))
    return image.convert("RGB")


def make_images(directory):
    os.makedirs(directory, exist_ok=True)
    specs = [
        ("jpeg_1280_baseline.jpg", lambda: photo(1280, 853, 1), dict(quality=90)),
        ("jpeg_1280_progressive.jpg", lambda: photo(1280, 853, 2), dict(quality=90, progressive=True)),
        ("jpeg_12mp.jpg", lambda: photo(4000, 3000, 3), dict(quality=90)),
        ("png_3000x2000.png", lambda: photo(3000, 2000, 4), dict(compress_level=6)),
        ("fine_detail_2000.jpg", lambda: zone_plate(2000), dict(quality=95)),
    ]
    paths = []
    for name, make, options in specs:
        path = os.path.join(directory, name)
        if not os.path.exists(path):
            make().save(path, **options)
        paths.append(path)
    return paths


class Java:
    def __init__(self, command):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        while self.process.stdout.readline().strip() != "ready":
            pass

    def ask(self, line):
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline().split()
        if not reply or reply[0] != "ok":
            raise RuntimeError("java: " + " ".join(reply))
        return [int(value) for value in reply[1:]]

    def thumb(self, source, target, times=BATCH):
        cpu, thread_cpu, wall = self.ask(f"thumb {source} {target} {times}")
        self.thread_cpu = thread_cpu / 1e6 / times
        return cpu / 1e6 / times, wall / 1e6 / times

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def pillow(source, target, times=BATCH):
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(times):
        with Image.open(source) as image:
            image.thumbnail((100, 100))
            fmt = "JPEG" if image.format == "JPEG" else "PNG"
            buffer = io.BytesIO()
            image.save(buffer, format=fmt, quality=85)
        with open(target, "wb") as out:
            out.write(buffer.getvalue())
    return (time.process_time() - cpu) * 1e3 / times, (time.perf_counter() - wall) * 1e3 / times


def vips(source, target, times=BATCH):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    suffix = "[Q=85]" if target.endswith(".jpg") else ""
    subprocess.run(["vipsthumbnail", "--size", "100x100", "-o", target + suffix] + [source] * times, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1e3 / times
    return cpu, (time.perf_counter() - wall) * 1e3 / times


@functools.lru_cache(maxsize=None)
def lanczos_reference(source_path, size):
    """The full-resolution image resized with Lanczos: made once per image and size, shared by every engine."""
    with Image.open(source_path) as source:
        return source.convert("RGB").resize(size, Image.Resampling.LANCZOS).tobytes()


def psnr(candidate_path, source_path):
    """PSNR of a thumbnail against a Lanczos reference made from the full-resolution image at the same size."""
    with Image.open(candidate_path) as candidate:
        candidate = candidate.convert("RGB")
        a, b = candidate.tobytes(), lanczos_reference(source_path, candidate.size)
        mse = sum((x - y) ** 2 for x, y in zip(a, b)) / len(a)
        return 99.0 if mse == 0 else 10 * math.log10(255 * 255 / mse)


def main():
    java_command = sys.argv[1:]
    out_dir = os.path.abspath(os.environ.get("BENCH_DIR", "target/bench"))
    images = make_images(os.path.join(out_dir, "images"))
    thumbs = os.path.join(out_dir, "thumbs")
    os.makedirs(thumbs, exist_ok=True)
    engines = {
        "java (libjpeg-turbo)": Java(java_command),
        "java (pure Java)": Java([java_command[0], "-Dturbojpeg=false"] + java_command[1:]),
    }
    for image in images:
        for engine in list(engines.values()) + [None]:
            started = time.monotonic()
            while time.monotonic() - started < WARMUP_SECONDS:
                if engine:
                    engine.thumb(image, os.path.join(thumbs, "warmup"))
                else:
                    pillow(image, os.path.join(thumbs, "warmup"))
    cpu = {}
    wall = {}
    thread_cpu = {}
    outputs = {}
    for _ in range(ROUNDS):
        for image in images:
            name = os.path.basename(image)
            ext = ".jpg" if image.endswith(".jpg") else ".png"
            runs = [(label, engine.thumb) for label, engine in engines.items()] + [("pillow", pillow), ("vips", vips)]
            for label, run in runs:
                target = os.path.join(thumbs, f"{name}.{label.split()[0]}{'-pure' if 'pure' in label else ''}{ext}")
                c, w = run(image, target)
                cpu.setdefault((name, label), []).append(c)
                wall.setdefault((name, label), []).append(w)
                if label in engines:
                    thread_cpu.setdefault((name, label), []).append(engines[label].thread_cpu)
                outputs[(name, label)] = target
    labels = list(engines) + ["pillow", "vips"]
    print(f"\n### CPU ms per image (median of {ROUNDS} rounds of {BATCH} images; wall ms in brackets)\n")
    print("| image | " + " | ".join(labels) + " | java/pillow | spread of the rounds' ratios (quartiles) |")
    print("|---|" + "---|" * (len(labels) + 2))
    for image in images:
        name = os.path.basename(image)
        cells = [f"{statistics.median(cpu[(name, l)]):.2f} ({statistics.median(wall[(name, l)]):.2f})" for l in labels]
        ratio = statistics.median(cpu[(name, labels[0])]) / statistics.median(cpu[(name, "pillow")])
        rounds = [j / p for j, p in zip(cpu[(name, labels[0])], cpu[(name, "pillow")])]
        low, _, high = statistics.quantiles(rounds, n=4)
        print(f"| {name} | " + " | ".join(cells) + f" | {ratio:.2f}x | {low:.2f}x - {high:.2f}x |")
    print("\nThe Java worker thread alone (thread CPU time, without the JVM's JIT and GC threads), ms per image: "
          + ", ".join(f"{os.path.basename(i)} {statistics.median(thread_cpu[(os.path.basename(i), labels[0])]):.2f}"
                      for i in images))
    print("\n### PSNR dB against a Lanczos reference from the full image\n")
    print("As delivered (JPEG quality 85 for JPEG sources: the Java worker writes 4:4:4, Pillow and vips their default "
          "4:2:0), and the resampling alone (each engine's thumbnail written as PNG). Thumbnail size in brackets.\n")
    print("| image | " + " | ".join(labels) + " |")
    print("|---|" + "---|" * len(labels))
    quality_images = [i for i in images if os.path.basename(i).startswith(("jpeg_", "fine_detail", "png_"))]
    for image in quality_images:
        name = os.path.basename(image)
        cells = [f"{psnr(outputs[(name, l)], image):.2f} ({os.path.getsize(outputs[(name, l)])} B)" for l in labels]
        print(f"| {name}, as delivered | " + " | ".join(cells) + " |")
        lossless = {}
        for label, engine in engines.items():
            lossless[label] = os.path.join(thumbs, f"{name}.{label.split()[0]}{'-pure' if 'pure' in label else ''}.png")
            engine.ask(f"png {image} {lossless[label]}")
        lossless["pillow"] = os.path.join(thumbs, f"{name}.pillow.png")
        with Image.open(image) as source:
            source.thumbnail((100, 100))
            source.save(lossless["pillow"], format="PNG")
        lossless["vips"] = os.path.join(thumbs, f"{name}.vips.png")
        subprocess.run(["vipsthumbnail", "--size", "100x100", "-o", lossless["vips"], image], check=True)
        cells = [f"{psnr(lossless[l], image):.2f}" for l in labels]
        print(f"| {name}, resampling alone | " + " | ".join(cells) + " |")
    java = engines["java (libjpeg-turbo)"]
    twelve = [i for i in images if "12mp" in i][0]
    elapsed = java.ask(f"parallel {twelve} 60 2")[0] / 1e9
    hwm, rss = java.ask("rss")
    print(f"\n### Worker process, 12 MP JPEGs on 2 threads\n")
    print(f"- throughput: {60 / elapsed:.1f} images/s ({elapsed:.2f} s for 60)")
    print(f"- peak RSS (VmHWM) of the JVM after the whole run: {hwm / 1024:.0f} MB (JVM options: {' '.join(java_command[:-2])})")
    for engine in engines.values():
        engine.close()


if __name__ == "__main__":
    main()
