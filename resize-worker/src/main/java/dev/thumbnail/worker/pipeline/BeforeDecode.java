package dev.thumbnail.worker.pipeline;

import dev.thumbnail.imagemeta.ImageHeader;

/**
 * Called with an image's header once it has passed the limits and before any pixel is decoded: the last point at which
 * a task can still refuse an image that risks the worker itself ({@code dev.thumbnail.worker.messaging.CrashGuard}).
 */
@FunctionalInterface
public interface BeforeDecode {

    /** Nothing to check. */
    BeforeDecode NONE = header -> {
    };

    /**
     * @throws PipelineException to fail the task with its code instead of decoding
     */
    void check(ImageHeader header) throws PipelineException;
}
