package dev.thumbnail.api.storage;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.thumbnail.api.config.ApiConfig;
import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.service.storage.BucketSettings;
import dev.thumbnail.storage.Bucket;
import dev.thumbnail.storage.FileBucket;
import dev.thumbnail.storage.StorageConfig;
import dev.thumbnail.storage.StorageException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Blobs expire with their status entries: originals and thumbnails older than the retention are deleted, every
 * {@code thumbnail.storage.sweep-interval}. Several API instances may sweep the same bucket; deleting is idempotent.
 * Uploads abandoned in the staging directory (a crash between receiving and storing) go the same way. On by default
 * for a directory; off for S3 (unless {@code thumbnail.storage.sweep=true}), where the bucket's lifecycle rule expires
 * objects without listing them (README).
 */
@ApplicationScoped
public class BlobSweeper {

    private final Bucket bucket;
    private final boolean enabled;
    private final Duration retention;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public BlobSweeper(Bucket bucket, BucketSettings where, ApiConfig config) {
        this.bucket = bucket;
        this.enabled = config.storage().sweep().orElse(where.type() == StorageConfig.Type.fs);
        this.retention = config.retention();
        this.interval = config.storage().sweepInterval();
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            Log.infof("blobs are not swept by this service (thumbnail.storage.sweep=false): the bucket's lifecycle "
                    + "rule expires them");
            return;
        }
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
        for (String prefix : List.of(BlobKeys.ORIGINALS, BlobKeys.THUMBNAILS, FileBucket.STAGING)) {
            try {
                deleted += bucket.deleteOlderThan(prefix, cutoff);
            } catch (StorageException e) {
                Log.warnf("sweeping %s failed: %s", prefix, e.getMessage());
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
