package dev.thumbnail.worker.storage;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.thumbnail.storage.Bucket;
import dev.thumbnail.storage.Buckets;
import dev.thumbnail.worker.config.WorkerConfig;
import io.quarkus.logging.Log;

/** The bucket of {@code thumbnail.storage.*}, the same as the API's: a shared directory or an S3-compatible store. */
public class BucketProducer {

    @Produces
    @Singleton
    Bucket bucket(WorkerConfig config) {
        Bucket opened = Buckets.open(config.storage());
        Log.infof("bucket: %s", opened.describe());
        return opened;
    }

    void close(@Disposes Bucket opened) {
        opened.close();
    }
}
