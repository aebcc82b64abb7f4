package dev.thumbnail.worker.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.thumbnail.worker.pipeline.Deadline;
import dev.thumbnail.worker.pipeline.Encoder;
import dev.thumbnail.worker.pipeline.PipelineSettings;
import dev.thumbnail.worker.pipeline.ThumbnailPipeline;

/**
 * The worker's image pipeline as a long-lived, warmed process driven over stdin by {@code bench/bench.py}, so it can be
 * timed side by side with Pillow and libvips. Not a test; run through {@code resize-worker/bench/run.sh}.
 *
 * <pre>
 * thumb IN OUT K     -> "ok CPU_NS THREAD_CPU_NS WALL_NS"  the image K times in a row on this thread, written to OUT;
 *                                                          CPU is the whole process's (JIT and GC threads included)
 * png IN OUT         -> "ok"                               one thumbnail written as PNG (lossless), for the PSNR of the
 *                                                          resampling alone
 * parallel IN N T    -> "ok WALL_NS"                       N images on T threads (for throughput and peak RSS)
 * rss                -> "ok VMHWM_KB VMRSS_KB"
 * </pre>
 */
public final class BenchServer {

    private BenchServer() {
    }

    /** libc's clock_gettime: the JDK's process CPU time has a 10 ms resolution on Linux, this one nanoseconds. */
    public interface LibC extends com.sun.jna.Library {
        int clock_gettime(int clock, com.sun.jna.Pointer timespec);
    }

    private static final int CLOCK_PROCESS_CPUTIME_ID = 2;
    private static final LibC LIBC = com.sun.jna.Native.load("c", LibC.class);
    private static final com.sun.jna.Memory TIMESPEC = new com.sun.jna.Memory(16);

    /** CPU time of the whole process (every thread, JIT and GC included), as Python's time.process_time. */
    private static long processCpuTime() {
        if (LIBC.clock_gettime(CLOCK_PROCESS_CPUTIME_ID, TIMESPEC) != 0) {
            throw new IllegalStateException("clock_gettime failed");
        }
        return TIMESPEC.getLong(0) * 1_000_000_000L + TIMESPEC.getLong(8);
    }

    public static void main(String[] args) throws Exception {
        boolean turbo = !"false".equals(System.getProperty("turbojpeg", "true"));
        PipelineSettings settings = turbo ? dev.thumbnail.worker.config.DefaultSettings.pipeline() : dev.thumbnail.worker.config.DefaultSettings.pipeline().withoutTurboJpeg();
        ThumbnailPipeline pipeline = ThumbnailPipeline.create(settings);
        ThumbnailPipeline lossless = ThumbnailPipeline.create(settings.withOutputFormat(Encoder.OutputFormat.PNG));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        System.out.println("ready");
        System.out.flush();
        String line;
        while ((line = in.readLine()) != null) {
            String[] parts = line.split(" ");
            switch (parts[0]) {
                case "thumb" -> {
                    int times = Integer.parseInt(parts[3]);
                    long cpu = processCpuTime();
                    long threadCpu = threads.getCurrentThreadCpuTime();
                    long wall = System.nanoTime();
                    for (int i = 0; i < times; i++) {
                        ThumbnailPipeline.Result result = pipeline.run(Path.of(parts[1]), 100, 100, Deadline.none());
                        Files.write(Path.of(parts[2]), result.bytes());
                    }
                    System.out.println("ok " + (processCpuTime() - cpu) + " "
                            + (threads.getCurrentThreadCpuTime() - threadCpu) + " " + (System.nanoTime() - wall));
                }
                case "png" -> {
                    Files.write(Path.of(parts[2]), lossless.run(Path.of(parts[1]), 100, 100, Deadline.none()).bytes());
                    System.out.println("ok");
                }
                case "parallel" -> {
                    int count = Integer.parseInt(parts[2]);
                    ExecutorService pool = Executors.newFixedThreadPool(Integer.parseInt(parts[3]));
                    long wall = System.nanoTime();
                    List<Future<ThumbnailPipeline.Result>> results = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        results.add(pool.submit(() -> pipeline.run(Path.of(parts[1]), 100, 100, Deadline.none())));
                    }
                    for (Future<ThumbnailPipeline.Result> result : results) {
                        result.get();
                    }
                    pool.shutdown();
                    System.out.println("ok " + (System.nanoTime() - wall));
                }
                case "rss" -> {
                    long hwm = 0;
                    long rss = 0;
                    for (String status : Files.readAllLines(Path.of("/proc/self/status"))) {
                        if (status.startsWith("VmHWM:")) {
                            hwm = Long.parseLong(status.replaceAll("\\D", ""));
                        } else if (status.startsWith("VmRSS:")) {
                            rss = Long.parseLong(status.replaceAll("\\D", ""));
                        }
                    }
                    System.out.println("ok " + hwm + " " + rss);
                }
                default -> System.out.println("error unknown command " + parts[0]);
            }
            System.out.flush();
        }
    }
}
