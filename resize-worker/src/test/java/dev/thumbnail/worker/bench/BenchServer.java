package dev.thumbnail.worker.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.thumbnail.worker.pipeline.Deadline;
import dev.thumbnail.worker.pipeline.Decoder;
import dev.thumbnail.worker.pipeline.Encoder;
import dev.thumbnail.worker.pipeline.Resizer;
import dev.thumbnail.worker.pipeline.ThumbnailPipeline;

/**
 * The worker's image pipeline as a long-lived, warmed process driven over stdin by {@code bench/bench.py}, so it can be
 * timed side by side with Pillow and libvips. Not a test; run through {@code resize-worker/bench/run.sh}.
 *
 * <pre>
 * thumb IN OUT       -> "ok CPU_NS WALL_NS WIDTH HEIGHT"   one image on this thread; thumbnail bytes written to OUT
 * parallel IN N T    -> "ok WALL_NS"                       N images on T threads (for throughput and peak RSS)
 * rss                -> "ok VMHWM_KB VMRSS_KB"
 * </pre>
 */
public final class BenchServer {

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        boolean turbo = !"false".equals(System.getProperty("turbojpeg", "true"));
        ThumbnailPipeline pipeline = new ThumbnailPipeline(Decoder.create(50_000_000, turbo, Optional.empty()),
                new Resizer(), new Encoder(85, Encoder.OutputFormat.AUTO));
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
                    long cpu = threads.getCurrentThreadCpuTime();
                    long wall = System.nanoTime();
                    ThumbnailPipeline.Result result = pipeline.run(Path.of(parts[1]), 100, 100, Deadline.none());
                    Files.write(Path.of(parts[2]), result.bytes());
                    System.out.println("ok " + (threads.getCurrentThreadCpuTime() - cpu) + " "
                            + (System.nanoTime() - wall) + " " + result.width() + " " + result.height());
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
