package dev.thumbnail.worker.pipeline;

import java.awt.color.ICC_Profile;

import dev.thumbnail.imagemeta.ImageHeader;

/**
 * What the decode step hands on: what the source's header says, its pixels as stored (not yet oriented), possibly
 * shrunk while decoding, and {@code fit}, the thumbnail's size as displayed. {@code embeddedProfile} is set when the
 * pixels are in a colour space other than sRGB that the decoder did not convert (the file's ICC profile, applied to
 * the small image). The pixels must be closed once read.
 */
public record Decoded(ImageHeader header, Fit fit, Pixels pixels, ICC_Profile embeddedProfile) {

    public boolean hasAlpha() {
        return pixels.hasAlpha();
    }
}
