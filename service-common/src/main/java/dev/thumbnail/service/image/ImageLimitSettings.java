package dev.thumbnail.service.image;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code thumbnail.image.max-pixels}: the limit both services check from an image's header before decoding it
 * ({@code ImageLimits.check}): the API answers 413 at upload, the worker fails the task with {@code IMAGE_TOO_LARGE}.
 * One setting, so that the two cannot disagree.
 */
@ConfigMapping(prefix = "thumbnail.image")
public interface ImageLimitSettings {

    /** Most pixels an image may have (width x height, every animation frame counted). */
    @WithDefault("50000000")
    long maxPixels();
}
