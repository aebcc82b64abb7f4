package dev.thumbnail.storage;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import io.smallrye.config.WithDefault;

/**
 * Where the bucket is ({@code thumbnail.storage.*}), the same settings in both services: each embeds this group in its
 * own configuration mapping, so the names and defaults are defined here once.
 */
public interface StorageConfig {

    /** Which store: {@code fs}, a directory shared by the services (the default), or {@code s3}. */
    @WithDefault("fs")
    Type type();

    /**
     * The directory of the {@code fs} bucket (a volume in containers; relative to the working directory), shared by the
     * API and the workers; unused with {@code s3}.
     */
    @WithDefault("bucket")
    Path dir();

    S3 s3();

    enum Type {
        fs,
        s3
    }

    /** An S3-compatible store; credentials come from the AWS SDK's default chain (environment, profile, IRSA...). */
    interface S3 {
        /** The bucket's name. */
        @WithDefault("thumbnails")
        String bucket();

        /** The endpoint of an S3-compatible store (MinIO, Ceph, S3Proxy); empty for AWS itself. */
        Optional<URI> endpoint();

        /** The region; most S3-compatible stores accept any. */
        @WithDefault("us-east-1")
        String region();

        /** {@code http://host/bucket/key} rather than {@code http://bucket.host/key}; most non-AWS stores need it. */
        @WithDefault("false")
        boolean pathStyleAccess();

        /** Create the bucket at start when it is missing (needs the right to); else a missing bucket is an error. */
        @WithDefault("true")
        boolean createBucket();
    }
}
