package dev.thumbnail.system.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The whole running system against Pillow's warm loop, CPU per completed image, as issue 11 defines it. Started by
 * {@code system-tests/load.sh}; not part of the test run. Everything on this machine, on loopback:
 * <ol>
 * <li>Pillow's warm loop ({@code Image.open} + {@code thumbnail((100, 100))} + {@code save}) on every file used,
 * CPU per image of that Python process: the median of {@code --pillow-rounds} rounds through the files, measured
 * before the system starts and again after it stops; the lower of the two is the yardstick (the ratios are then the
 * least flattering the run allows);</li>
 * <li>{@code deploy/local/run.sh} with its defaults; a warm-up until the JIT compilers are nearly done (minutes on
 * two cores; see {@link #warmUp}), the idle floor, then per image set and client mode: 16 clients, each uploading an
 * image and polling its status every 20 ms (or asking once with {@code ?wait=}); the CPU of the API, worker, Kafka
 * broker and Redis processes (utime + stime from /proc) over the phase, divided by the images completed;</li>
 * <li>per file, the worker's CPU per image against Pillow's for the same file;</li>
 * <li>Pillow's loop again while the system is under load ({@link #pillowUnderLoad}), reported beside the
 * yardstick;</li>
 * <li>throughput and upload-to-SUCCESS latency at 1, 4 and 16 clients;</li>
 * <li>the cost of each step alone: a status read, an upload (worker stopped), and the work that follows an upload
 * (worker, fold, broker) with no client reading;</li>
 * <li>after a steady load of {@code --soak-seconds}, each service's RSS.</li>
 * </ol>
 * Prints a Markdown report (also written to {@code --out}) once the second Pillow measurement is in; progress goes to
 * standard error meanwhile.
 */
public final class SystemBenchmark {

    private static final int POLL_MILLIS = 20;
    private static final int CLIENTS = 16;
    /** The JIT compiler threads' share of the system's CPU under which the system counts as warm. */
    private static final double STEADY_COMPILER_SHARE = 0.05;
    private static final double WARMUP_WINDOW_SECONDS = 15;

    private final Options options;
    private final StringBuilder report = new StringBuilder();
    /** The report's sections in order, written once the yardstick is known. */
    private final List<Runnable> sections = new ArrayList<>();
    /** Pillow's CPU ms per image, per file: the lower of the two measurements. */
    private final Map<Path, Double> pillow = new HashMap<>();
    /** Pillow's CPU ms per image, per file, measured while the system was under load; empty when not measured. */
    private final Map<Path, Double> pillowLoaded = new HashMap<>();

    private SystemBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        new SystemBenchmark(Options.parse(args)).run();
    }

    private void run() throws Exception {
        Path corpus = options.corpus;
        if (!Files.isDirectory(corpus.resolve("photos"))) {
            throw new IllegalStateException("the image corpus is not at " + corpus + " (set --corpus)");
        }
        List<Path> sample = files(corpus, "prakasho/dogs_1280p_0.jpg", "prakasho/visual-reverse-image-search-v2_intro.jpg",
                "prakasho/Square_on_hyperbolic_plane.png");
        List<Path> mixed = new ArrayList<>(sample);
        try (var photos = Files.list(corpus.resolve("photos"))) {
            photos.filter(path -> path.toString().endsWith(".jpg")).sorted().forEach(mixed::add);
        }
        List<Path> perFile = files(corpus, "photos/photo_4000x3000_12mp.jpg", "photos/photo_1920x1280.jpg",
                "formats/jpeg_progressive_1020x680.jpg", "prakasho/dogs_1280p_0.jpg",
                "formats/png_rgba_alpha_600x400.png", "prakasho/Square_on_hyperbolic_plane.png");
        Set<Path> all = new LinkedHashSet<>(mixed);
        all.addAll(perFile);

        String started = Instant.now().toString();
        progress("Pillow's loop, before the system starts");
        Map<Path, double[]> pillowBefore = pillow(all);

        try (LocalSystem system = LocalSystem.start(options.repo, options.dataDir, Map.of())) {
            String ready = system.readyMessage().strip();
            section(() -> {
                line("");
                line("```");
                line(ready);
                line("```");
            });
            warmUp(system, List.copyOf(all));
            idle(system);

            wholeSystem(system, "the old service's three sample images", sample);
            wholeSystem(system, "those three and the six photos", mixed);
            if (options.perFile) {
                perFile(system, perFile);
            }
            if (options.pillowUnderLoad) {
                pillowUnderLoad(system, all);
            }
            throughput(system, mixed);
            steps(system, mixed);
            if (options.soakSeconds > 0) {
                soak(system, mixed);
            }
        }
        if (!options.keepData) {
            // A full run leaves about 15 GB behind (every original and thumbnail, the broker's log): a disk filled
            // by earlier runs ends the next one.
            progress("deleting " + options.dataDir);
            dev.thumbnail.testfixtures.Folders.delete(options.dataDir);
        }
        progress("Pillow's loop again, after the system stopped");
        Map<Path, double[]> pillowAfter = pillow(all);
        all.forEach(file -> pillow.put(file, Math.min(pillowBefore.get(file)[0], pillowAfter.get(file)[0])));

        line("# System benchmark, " + started);
        line("");
        line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + cpuModel() + "; Java "
                + System.getProperty("java.version") + ". Bucket: "
                + ("s3".equals(System.getenv("STORAGE")) ? "S3 (STORAGE=s3: S3Proxy on loopback, its CPU in the totals)"
                        : "a directory (run.sh's default)") + ".");
        line("");
        line("## Pillow's warm loop, CPU ms per image");
        line("");
        line("Median of %d rounds through the files (%.1f s per file in all), before the system started and after it "
                + "stopped; the lower CPU figure is the yardstick below.", options.pillowRounds, options.pillowSeconds);
        line("");
        line("| file | CPU ms before | CPU ms after | yardstick | wall ms before | wall ms after |");
        line("|---|---|---|---|---|---|");
        for (Path file : all) {
            double[] before = pillowBefore.get(file);
            double[] after = pillowAfter.get(file);
            line("| %s | %.2f | %.2f | %.2f | %.2f | %.2f |", shortName(file), before[0], after[0], pillow.get(file),
                    before[1], after[1]);
        }
        sections.forEach(Runnable::run);
        if (options.out != null) {
            Files.createDirectories(options.out.toAbsolutePath().getParent());
            Files.writeString(options.out, report, StandardCharsets.UTF_8);
            System.out.println("report written to " + options.out);
        }
    }

    // ---- Pillow ------------------------------------------------------------------------------------------------------

    /** Per file: Pillow's CPU ms per image and wall ms per image, each the median of the rounds. */
    private Map<Path, double[]> pillow(Set<Path> files) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3",
                options.repo.resolve("system-tests/bench/pillow_loop.py").toString(),
                Double.toString(options.pillowSeconds), Integer.toString(options.pillowRounds)));
        files.forEach(file -> command.add(file.toString()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("Pillow's loop failed (is python3-pil installed?)");
        }
        Map<Path, double[]> measured = new LinkedHashMap<>();
        for (String row : output.strip().split("\n")) {
            String[] fields = row.split("\t");
            measured.put(Path.of(fields[0]),
                    new double[] { Double.parseDouble(fields[1]), Double.parseDouble(fields[2]) });
        }
        return measured;
    }

    private double mean(List<Path> files) {
        return files.stream().mapToDouble(pillow::get).average().orElseThrow();
    }

    // ---- the phases (each measures, then adds its section of the report) ---------------------------------------------

    /**
     * Loads the system (16 clients, every file in turn, in each of the measured modes by turns: polling, and
     * {@code ?wait=} when it is measured) until its JIT compilers have done the bulk of their work: for at least
     * {@code --warmup-seconds}, then until the C1 and C2 compiler threads of all its processes take under
     * {@link #STEADY_COMPILER_SHARE} of the system's CPU in two {@link #WARMUP_WINDOW_SECONDS} s windows in a row, and
     * for at most {@code --warmup-max-seconds}. A figure taken before then measures the JITs, a cost paid
     * once per process start: a minute in, the compiler threads were 30% of the system's CPU on this 2-core machine
     * (docs/BENCHMARKS.md). Both modes, since each has code of its own: after a warm-up of polling alone, the first
     * 1,200 images with {@code ?wait=} cost the API 3.41 ms each, the next ones 1.85 (2026-12-03). What the warm-up
     * cost is reported with the rest.
     */
    private void warmUp(LocalSystem system, List<Path> files) throws Exception {
        progress("warm-up");
        Clients clients = new Clients(system.baseUrl(), files);
        long start = System.nanoTime();
        List<String> shares = new ArrayList<>();
        int images = 0;
        double cpu = 0;
        int calmWindows = 0;
        double seconds;
        while (true) {
            seconds = (System.nanoTime() - start) / 1e9;
            if (seconds >= options.warmupMaxSeconds || seconds >= options.warmupSeconds && calmWindows >= 2) {
                break;
            }
            long windowEnd = System.nanoTime() + (long) (WARMUP_WINDOW_SECONDS * 1e9);
            Measured window = measure(system, () -> {
                int done = 0;
                for (int batch = 0; System.nanoTime() < windowEnd; batch++) {
                    Clients.Mode mode = options.modes.get(batch % options.modes.size());
                    done += clients.run(CLIENTS, 100, mode, POLL_MILLIS).completed();
                }
                return done;
            });
            images += (Integer) window.result;
            cpu += window.total();
            double share = window.threads.values().stream().flatMap(threads -> threads.entrySet().stream())
                    .filter(thread -> thread.getKey().matches("C[12] CompilerThre.*"))
                    .mapToDouble(Map.Entry::getValue).sum() / window.total();
            calmWindows = share < STEADY_COMPILER_SHARE ? calmWindows + 1 : 0;
            shares.add(String.format("%.0f%%", 100 * share));
            progress(String.format("warm-up: %.0f s, %d images, the JIT compilers %.1f%% of the CPU", seconds
                    + window.seconds, images, 100 * share));
        }
        boolean steady = calmWindows >= 2;
        int warmedImages = images;
        double warmedSeconds = seconds;
        double cpuPerImage = cpu / Math.max(1, images);
        section(() -> {
            line("");
            line("Warm-up: %d images in %.0f s, %.2f ms of CPU per image in all; the JIT compilers' share of the "
                    + "system's CPU per %.0f s window: %s. %s", warmedImages, warmedSeconds, cpuPerImage,
                    WARMUP_WINDOW_SECONDS, String.join(", ", shares), steady
                            ? String.format("Steady (under %.0f%% twice in a row) before the first measurement.",
                                    100 * STEADY_COMPILER_SHARE)
                            : String.format("**Not steady** after %.0f s (--warmup-max-seconds): the figures below "
                                    + "include the JITs' work.", options.warmupMaxSeconds));
        });
    }

    private void idle(LocalSystem system) throws Exception {
        progress("idle floor");
        Measured idle = measure(system, () -> {
            Thread.sleep(5000);
            return null;
        });
        String floor = system.parts().stream()
                .map(part -> String.format("%s %.1f", part.name(), idle.cpu.get(part.name()) / idle.seconds))
                .collect(Collectors.joining(", "));
        section(() -> {
            line("");
            line("Idle floor (5 s with nothing to do, after the warm-up), CPU ms per second: " + floor + ".");
        });
    }

    private void wholeSystem(LocalSystem system, String title, List<Path> files) throws Exception {
        progress("whole system: " + title);
        Clients clients = new Clients(system.baseUrl(), files);
        clients.run(CLIENTS, 100, Clients.Mode.POLL, POLL_MILLIS);
        boolean s3 = system.part("s3proxy") != null;
        Map<Clients.Mode, Measured> byMode = new LinkedHashMap<>();
        for (Clients.Mode mode : options.modes) {
            byMode.put(mode, measure(system, () -> clients.run(CLIENTS, options.images, mode, POLL_MILLIS)));
        }
        section(() -> {
            double yardstick = mean(files);
            line("");
            line("## Whole system: " + title + ", " + CLIENTS + " clients");
            line("");
            line("CPU ms per completed image of each process; Pillow's warm loop on the same files: %.2f ms.",
                    yardstick);
            line("");
            line("| clients | images | API | worker | Kafka | Redis |" + (s3 ? " S3 server |" : "")
                    + " total | x Pillow | images/s | p50 ms | p99 ms | status reads per image |");
            line("|---|---|---|---|---|---|" + (s3 ? "---|" : "") + "---|---|---|---|---|---|");
            byMode.forEach((mode, measured) -> {
                Clients.Run run = (Clients.Run) measured.result;
                int images = run.completed() + run.failed();
                double total = measured.total() / images;
                line("| %s | %d | %.2f | %.2f | %.2f | %.2f |" + (s3 ? " %.2f |" : "%s")
                        + " %.2f | **%.2fx** | %.1f | %.0f | %.0f | %.1f |",
                        mode == Clients.Mode.POLL ? "poll every " + POLL_MILLIS + " ms" : "`?wait=`", images,
                        measured.per("api-service", images), measured.per("resize-worker", images),
                        measured.per("kafka", images), measured.per("redis", images),
                        s3 ? (Object) measured.per("s3proxy", images) : "", total, total / yardstick,
                        run.imagesPerSecond(), percentile(run.endToEndMillis(), 50),
                        percentile(run.endToEndMillis(), 99), run.readsPerImage());
            });
            Measured first = byMode.values().iterator().next();
            threads(first, ((Clients.Run) first.result).completed());
        });
    }

    private void threads(Measured measured, int images) {
        line("");
        line("Where it went (first mode), CPU ms per image by thread:");
        line("");
        for (String part : List.of("api-service", "resize-worker", "kafka")) {
            line("- %s: %s", part, measured.threads.get(part).entrySet().stream().limit(8)
                    .map(entry -> String.format("%s %.2f", entry.getKey(), entry.getValue() / images))
                    .collect(Collectors.joining(", ")));
        }
    }

    private void perFile(LocalSystem system, List<Path> files) throws Exception {
        Map<Path, Measured> byFile = new LinkedHashMap<>();
        for (Path file : files) {
            progress("per file: " + shortName(file));
            Clients clients = new Clients(system.baseUrl(), List.of(file));
            clients.run(CLIENTS, options.perFileImages / 2, Clients.Mode.POLL, POLL_MILLIS);
            byFile.put(file, measure(system,
                    () -> clients.run(CLIENTS, options.perFileImages, Clients.Mode.POLL, POLL_MILLIS)));
        }
        section(() -> {
            line("");
            line("## The worker in the running service, per file (%d clients polling)", CLIENTS);
            line("");
            line("| file | worker CPU ms per image | Pillow | x Pillow | Pillow under the same load | x that |"
                    + " whole system ms per image |");
            line("|---|---|---|---|---|---|---|");
            byFile.forEach((file, measured) -> {
                double worker = measured.per("resize-worker", options.perFileImages);
                Double loaded = pillowLoaded.get(file);
                line("| %s | %.2f | %.2f | **%.2fx** | %s | %s | %.2f |", shortName(file), worker, pillow.get(file),
                        worker / pillow.get(file), loaded == null ? "-" : String.format("%.2f", loaded),
                        loaded == null ? "-" : String.format("%.2fx", worker / loaded),
                        measured.total() / options.perFileImages);
            });
        });
    }

    /**
     * Pillow's loop on every file again, while 16 clients keep the system busy with the nine images: what the same
     * image work costs when it shares the two cores (their caches, the clock) with a loaded system, as the worker's
     * does in every phase above. Reported beside the yardstick, never in its place: the ratios above stay against
     * Pillow on a quiet machine.
     */
    private void pillowUnderLoad(LocalSystem system, Set<Path> files) throws Exception {
        progress("Pillow's loop while the system is under load");
        Clients clients = new Clients(system.baseUrl(), List.copyOf(files));
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicInteger images = new AtomicInteger();
        Thread load = new Thread(() -> {
            try {
                while (loading.get()) {
                    images.addAndGet(clients.run(CLIENTS, 50, Clients.Mode.POLL, POLL_MILLIS).completed());
                }
            } catch (Exception e) {
                throw new IllegalStateException("the load beside Pillow's loop failed", e);
            }
        }, "bench-load");
        load.start();
        Map<Path, double[]> measured;
        long start = System.nanoTime();
        try {
            Thread.sleep(3000);
            measured = pillow(files);
        } finally {
            loading.set(false);
            load.join(120_000);
        }
        measured.forEach((file, figures) -> pillowLoaded.put(file, figures[0]));
        double seconds = (System.nanoTime() - start) / 1e9;
        section(() -> {
            line("");
            line("## Pillow's loop under the same load");
            line("");
            line("The same loop while %d clients kept the system busy (%d images in %.0f s beside it): CPU ms per "
                    + "image of the Python process, against the yardstick measured on the quiet machine.", CLIENTS,
                    images.get(), seconds);
            line("");
            line("| file | yardstick (quiet) | under load | x |");
            line("|---|---|---|---|");
            for (Path file : files) {
                line("| %s | %.2f | %.2f | %.2fx |", shortName(file), pillow.get(file), pillowLoaded.get(file),
                        pillowLoaded.get(file) / pillow.get(file));
            }
        });
    }

    private void throughput(LocalSystem system, List<Path> files) throws Exception {
        progress("throughput and latency");
        Clients clients = new Clients(system.baseUrl(), files);
        Map<Integer, Clients.Run> runs = new LinkedHashMap<>();
        for (int concurrency : options.concurrency) {
            int count = Math.max(100, options.images * concurrency / CLIENTS);
            runs.put(concurrency, clients.run(concurrency, count, Clients.Mode.POLL, POLL_MILLIS));
        }
        section(() -> {
            line("");
            line("## Throughput and latency, the nine images, polling every %d ms", POLL_MILLIS);
            line("");
            line("| clients | images | images/s | upload p50 ms | upload p99 ms | upload-to-SUCCESS p50 ms | p99 ms |");
            line("|---|---|---|---|---|---|---|");
            runs.forEach((concurrency, run) -> line("| %d | %d | %.1f | %.1f | %.1f | %.1f | %.1f |", concurrency,
                    run.completed() + run.failed(), run.imagesPerSecond(), percentile(run.uploadMillis(), 50),
                    percentile(run.uploadMillis(), 99), percentile(run.endToEndMillis(), 50),
                    percentile(run.endToEndMillis(), 99)));
        });
    }

    private void steps(LocalSystem system, List<Path> files) throws Exception {
        progress("each step alone");
        Clients clients = new Clients(system.baseUrl(), files);
        List<String> finished = clients.run(CLIENTS, 200, Clients.Mode.POLL, POLL_MILLIS).taskIds();

        Measured reads = measure(system, () -> clients.readStatuses(finished, CLIENTS, 5));
        long readCount = (Long) reads.result;

        ProcessCpu worker = system.part("resize-worker");
        system.signal(worker, "STOP");
        Measured uploads;
        try {
            uploads = measure(system, () -> clients.uploadOnly(CLIENTS, options.stepImages));
        } finally {
            system.signal(worker, "CONT");
        }
        @SuppressWarnings("unchecked")
        List<String> queued = (List<String>) uploads.result;

        Measured drain = measure(system, () -> clients.awaitAll(queued, Duration.ofMinutes(5)));
        long drainReads = (Long) drain.result;
        // The reads that found out the backlog was done are taken out at the cost measured above.
        Map<String, Double> perRead = new HashMap<>();
        reads.cpu.forEach((part, ms) -> perRead.put(part, ms / readCount));
        Map<String, Double> work = new HashMap<>();
        drain.cpu.forEach((part, ms) -> work.put(part, Math.max(0, ms - drainReads * perRead.get(part))));
        section(() -> {
            line("");
            line("## Each step alone, CPU ms per operation");
            line("");
            line("| step | operations | API | worker | Kafka | Redis |");
            line("|---|---|---|---|---|---|");
            row("status read (" + CLIENTS + " clients, as fast as they can)", reads, readCount);
            row("upload (worker stopped: store, PENDING, publish)", uploads, queued.size());
            line("| the rest of a task (consume, resize, publish, fold; %d reads taken out) | %d | %.2f | %.2f | "
                    + "%.2f | %.2f |", drainReads, queued.size(), work.get("api-service") / queued.size(),
                    work.get("resize-worker") / queued.size(), work.get("kafka") / queued.size(),
                    work.get("redis") / queued.size());
        });
    }

    private void row(String step, Measured measured, long operations) {
        line("| %s | %d | %.3f | %.3f | %.3f | %.3f |", step, operations, measured.per("api-service", operations),
                measured.per("resize-worker", operations), measured.per("kafka", operations),
                measured.per("redis", operations));
    }

    private void soak(LocalSystem system, List<Path> files) throws Exception {
        progress("steady load for " + options.soakSeconds + " s, then RSS");
        Clients clients = new Clients(system.baseUrl(), files);
        long until = System.nanoTime() + (long) (options.soakSeconds * 1e9);
        int images = 0;
        while (System.nanoTime() < until) {
            images += clients.run(CLIENTS, 200, Clients.Mode.POLL, POLL_MILLIS).completed();
        }
        Map<String, double[]> rss = new LinkedHashMap<>();
        Map<String, double[]> jvm = new HashMap<>();
        for (ProcessCpu part : system.parts()) {
            rss.put(part.name(), part.rssMb());
            part.jvmCommittedMb().ifPresent(committed -> jvm.put(part.name(), committed));
        }
        int soaked = images;
        section(() -> {
            line("");
            line("## Memory after %d s of steady load (%d images, %d clients polling)", options.soakSeconds, soaked,
                    CLIENTS);
            line("");
            line("| process | RSS MB | peak RSS MB | of which heap committed MB | metaspace committed MB | the rest MB |");
            line("|---|---|---|---|---|---|");
            rss.forEach((name, mb) -> {
                double[] committed = jvm.get(name);
                if (committed == null) {
                    line("| %s | %.0f | %.0f | | | |", name, mb[0], mb[1]);
                } else {
                    line("| %s | %.0f | %.0f | %.0f | %.0f | %.0f |", name, mb[0], mb[1], committed[0], committed[1],
                            mb[0] - committed[0] - committed[1]);
                }
            });
            line("");
            line("Heap and metaspace as `jstat -gc` reports them committed; the rest is code cache, thread stacks, the "
                    + "class-data archive, and memory the JVM and native libraries (libjpeg-turbo, zlib) allocate.");
        });
    }

    // ---- measuring ---------------------------------------------------------------------------------------------------

    /** CPU ms of each process (and by thread) while {@code work} ran, and what it returned. */
    private record Measured(Map<String, Double> cpu, Map<String, Map<String, Double>> threads, double seconds,
            Object result) {

        double per(String part, long operations) {
            return cpu.get(part) / operations;
        }

        double total() {
            return cpu.values().stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    private static Measured measure(LocalSystem system, Callable<?> work) throws Exception {
        Map<String, Double> before = new HashMap<>();
        Map<String, Map<String, Double>> threadsBefore = new HashMap<>();
        for (ProcessCpu part : system.parts()) {
            threadsBefore.put(part.name(), part.threadMillis());
            before.put(part.name(), part.cpuMillis());
        }
        long start = System.nanoTime();
        Object result = work.call();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> cpu = new LinkedHashMap<>();
        Map<String, Map<String, Double>> threads = new HashMap<>();
        for (ProcessCpu part : system.parts()) {
            if (!part.alive()) {
                throw new IllegalStateException(part.name() + " died during the benchmark");
            }
            cpu.put(part.name(), part.cpuMillis() - before.get(part.name()));
            threads.put(part.name(), ProcessCpu.difference(threadsBefore.get(part.name()), part.threadMillis()));
        }
        return new Measured(cpu, threads, seconds, result);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------------

    private static List<Path> files(Path corpus, String... names) {
        List<Path> files = new ArrayList<>();
        for (String name : names) {
            Path file = corpus.resolve(name);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("missing corpus file " + file);
            }
            files.add(file);
        }
        return files;
    }

    private static String shortName(Path file) {
        return file.getParent().getFileName() + "/" + file.getFileName();
    }

    static double percentile(List<Double> values, double percentile) {
        List<Double> sorted = values.stream().sorted().toList();
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private void section(Runnable writer) {
        sections.add(writer);
    }

    private static void progress(String phase) {
        System.err.println("[load.sh] " + Instant.now() + " " + phase);
    }

    private void line(String format, Object... args) {
        String text = args.length == 0 ? format : String.format(format, args);
        report.append(text).append('\n');
        System.out.println(text);
    }

    /**
     * Command-line options; every one has a default that {@code system-tests/load.sh} documents. {@code keepData}:
     * the data directory was given ({@code --data-dir}) and is kept; the temporary one made otherwise is deleted.
     */
    private record Options(Path repo, Path corpus, Path dataDir, boolean keepData, Path out, int images,
            int perFileImages, int stepImages, double warmupSeconds, double warmupMaxSeconds, double pillowSeconds,
            int pillowRounds, boolean pillowUnderLoad, int soakSeconds, boolean perFile, List<Clients.Mode> modes,
            List<Integer> concurrency) {

        static Options parse(String[] args) throws IOException {
            Map<String, String> given = new HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
                }
                given.put(args[i].substring(2), args[i + 1]);
            }
            Path repo = Path.of(given.getOrDefault("repo", ".")).toAbsolutePath().normalize();
            return new Options(repo,
                    Path.of(given.getOrDefault("corpus", repo.resolve("../shared/corpus").toString())).normalize(),
                    given.containsKey("data-dir") ? Path.of(given.get("data-dir"))
                            : Files.createTempDirectory("thumbnail-bench-"),
                    given.containsKey("data-dir"),
                    given.containsKey("out") ? Path.of(given.get("out")) : null,
                    Integer.parseInt(given.getOrDefault("images", "1200")),
                    Integer.parseInt(given.getOrDefault("per-file-images", "240")),
                    Integer.parseInt(given.getOrDefault("step-images", "300")),
                    Double.parseDouble(given.getOrDefault("warmup-seconds", "60")),
                    Double.parseDouble(given.getOrDefault("warmup-max-seconds", "600")),
                    Double.parseDouble(given.getOrDefault("pillow-seconds", "2")),
                    Integer.parseInt(given.getOrDefault("pillow-rounds", "5")),
                    Boolean.parseBoolean(given.getOrDefault("pillow-under-load", "true")),
                    Integer.parseInt(given.getOrDefault("soak-seconds", "180")),
                    Boolean.parseBoolean(given.getOrDefault("per-file", "true")),
                    List.of(given.getOrDefault("modes", "poll,wait").split(",")).stream()
                            .map(mode -> Clients.Mode.valueOf(mode.strip().toUpperCase())).toList(),
                    List.of(given.getOrDefault("concurrency", "1,4,16").split(",")).stream()
                            .map(c -> Integer.parseInt(c.strip())).toList());
        }
    }
}
