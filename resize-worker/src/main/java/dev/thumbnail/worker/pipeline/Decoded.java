package dev.thumbnail.worker.pipeline;

import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;

import dev.thumbnail.contracts.ImageHeader;

/**
 * A decoded source image: what its header says, and its pixels as stored (not yet oriented), possibly shrunk while
 * decoding; {@code fit} is the thumbnail's size as displayed. {@code extentWidth x extentHeight} is how many of those
 * pixels the original spans: a decoder that shrinks by 1/4 makes 214 rows of 853, the last holding a quarter row.
 * {@code embeddedProfile} is set when the file carries an ICC profile the decoder did not apply.
 */
public record Decoded(ImageHeader header, Fit fit, BufferedImage pixels, double extentWidth, double extentHeight,
        ICC_Profile embeddedProfile) {

    public boolean hasAlpha() {
        return pixels.getColorModel().hasAlpha();
    }
}
