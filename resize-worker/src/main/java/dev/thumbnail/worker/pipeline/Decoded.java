package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;

import dev.thumbnail.contracts.ImageHeader;

/**
 * A decoded source image: what its header says, and its pixels as stored (not yet oriented), possibly shrunk while
 * decoding.
 */
public record Decoded(ImageHeader header, BufferedImage pixels) {

    public boolean hasAlpha() {
        return pixels.getColorModel().hasAlpha();
    }
}
