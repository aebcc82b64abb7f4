package dev.thumbnail.storage;

/** Opens the bucket the settings describe. */
public final class Buckets {

    private Buckets() {
    }

    /**
     * @throws IllegalArgumentException when the settings are incomplete ({@code fs} without a directory)
     */
    public static Bucket open(StorageConfig config) {
        return switch (config.type()) {
            case fs -> new FileBucket(config.dir().orElseThrow(() -> new IllegalArgumentException(
                    "thumbnail.storage.dir must be set for thumbnail.storage.type=fs")));
            case s3 -> S3Bucket.open(config.s3());
        };
    }
}
