package dev.thumbnail.worker.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Run by {@link LargeImageMemoryTest} in a JVM with a capped heap: makes {@code threads} thumbnails of the same file
 * at once, as a worker at that concurrency would, and prints each result; a third argument {@code pure-java} takes
 * the fallback chain (ImageIO for every format) instead of the worker's default.
 */
public final class LargeImageProbe {

    private LargeImageProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        ThumbnailPipeline pipeline = args.length > 2 && args[2].equals("pure-java") ? Pipelines.pureJava()
                : Pipelines.standard();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<ThumbnailPipeline.Result>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> pipeline.run(file, 100, 100, Deadline.none())));
        }
        for (Future<ThumbnailPipeline.Result> result : results) {
            ThumbnailPipeline.Result r = result.get();
            System.out.println("thumbnail " + r.width() + "x" + r.height() + " of " + r.sourceWidth() + "x"
                    + r.sourceHeight());
        }
        pool.shutdown();
    }
}
