package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;

import dev.thumbnail.contracts.ImageFormat;

/**
 * A decoded source image. {@code width}/{@code height} are the full size of the image as stored; {@code pixels} may be
 * smaller when the decoder shrank it while decoding.
 */
public record Decoded(ImageFormat format, int width, int height, BufferedImage pixels) {

    public boolean hasAlpha() {
        return pixels.getColorModel().hasAlpha();
    }
}
