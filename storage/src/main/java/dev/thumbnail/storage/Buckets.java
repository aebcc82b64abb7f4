package dev.thumbnail.storage;

/** Opens the bucket the settings describe. */
public final class Buckets {

    private Buckets() {
    }

    public static Bucket open(StorageConfig config) {
        return switch (config.type()) {
            case fs -> new FileBucket(config.dir());
            case s3 -> S3Bucket.open(config.s3());
        };
    }
}
