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

    /**
     * Most pixels of an image that no decoder here can shrink on load (a WebP coded losslessly or with an alpha plane),
     * which is held whole, 4 to 5 bytes per pixel. The default, 10 MP, is what two such images at once (the worker's
     * default concurrency on two cores) leave room for in the worker's shipped heap (deploy/jvm/resize-worker.options,
     * 160 MB; measured with LargeImageProbe: two lossy WebPs with alpha of 10 MP need more than 86 MB, two of 12 MP fit
     * in 104; one lossless WebP of 49 MP exhausts the whole heap). The worker takes the lower of this and what its own
     * heap holds at its concurrency ({@code ThumbnailPipeline.decodedWholeLimit}).
     */
    @WithDefault("10000000")
    long maxDecodedWholePixels();
}
