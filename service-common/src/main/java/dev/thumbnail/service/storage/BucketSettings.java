package dev.thumbnail.service.storage;

import io.smallrye.config.ConfigMapping;

import dev.thumbnail.storage.StorageConfig;

/** {@code thumbnail.storage.*}: where the bucket is, the same settings in both services ({@link StorageConfig}). */
@ConfigMapping(prefix = "thumbnail.storage")
public interface BucketSettings extends StorageConfig {
}
