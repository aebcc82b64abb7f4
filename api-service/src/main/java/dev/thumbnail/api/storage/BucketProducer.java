package dev.thumbnail.api.storage;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.thumbnail.api.config.ApiConfig;
import dev.thumbnail.storage.Bucket;
import dev.thumbnail.storage.Buckets;
import io.quarkus.logging.Log;

/** The bucket of {@code thumbnail.storage.*}: a directory shared with the workers, or an S3-compatible store. */
public class BucketProducer {

    @Produces
    @Singleton
    Bucket bucket(ApiConfig config) {
        Bucket bucket = Buckets.open(config.storage());
        Log.infof("bucket: %s", bucket.describe());
        return bucket;
    }

    void close(@Disposes Bucket bucket) {
        bucket.close();
    }
}
