package dev.thumbnail.service.storage;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.thumbnail.storage.Bucket;
import dev.thumbnail.storage.Buckets;
import io.quarkus.logging.Log;

/** The bucket of {@code thumbnail.storage.*}: a directory the services share, or an S3-compatible store. */
public class BucketProducer {

    @Produces
    @Singleton
    Bucket bucket(BucketSettings settings) {
        Bucket bucket = Buckets.open(settings);
        Log.infof("bucket: %s", bucket.describe());
        return bucket;
    }

    void close(@Disposes Bucket bucket) {
        bucket.close();
    }
}
