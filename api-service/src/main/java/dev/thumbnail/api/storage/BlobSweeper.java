package dev.thumbnail.api.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.thumbnail.api.config.ApiConfig;
import dev.thumbnail.contracts.BlobKeys;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Blobs expire with their status entries: originals and thumbnails older than the retention are deleted, every
 * {@code thumbnail.storage.sweep-interval}. Several API instances may sweep the same bucket; deleting is idempotent.
 * Uploads abandoned in the upload directory (a crash between receiving and storing) go the same way.
 */
@ApplicationScoped
public class BlobSweeper {

    private final Path root;
    private final Duration retention;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public BlobSweeper(BlobStore blobs, ApiConfig config) {
        this.root = blobs.root();
        this.retention = config.retention();
        this.interval = config.storage().sweepInterval();
    }

    void onStart(@Observes StartupEvent event) {
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "blob-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::sweepQuietly, interval.toSeconds(), interval.toSeconds(),
                TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** Deletes every blob last written before {@code now - retention}; returns how many. */
    public int sweep(Instant now) {
        Instant cutoff = now.minus(retention);
        int deleted = 0;
        for (String folder : List.of(BlobKeys.ORIGINALS, BlobKeys.THUMBNAILS, BlobStore.STAGING)) {
            Path directory = root.resolve(folder);
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)
                            && Files.deleteIfExists(file)) {
                        deleted++;
                    }
                }
            } catch (IOException e) {
                Log.warnf("sweeping %s failed: %s", directory, e.getMessage());
            }
        }
        return deleted;
    }

    private void sweepQuietly() {
        int deleted = sweep(Instant.now());
        if (deleted > 0) {
            Log.infof("deleted %d blobs older than the %s retention", deleted, retention);
        }
    }
}
