package dev.thumbnail.worker.pipeline;

import dev.thumbnail.imagemeta.ImageHeader;

/**
 * The thumbnail's size: the largest that fits inside the box with the aspect ratio kept, never larger than the source
 * (613x624 in 100x100 gives 98x100; 64x48 stays 64x48; 3000x300 gives 100x10).
 */
public record Fit(int width, int height) {

    /** The thumbnail's size for {@code header}'s image as displayed (after its EXIF orientation). */
    public static Fit displayed(ImageHeader header, int maxWidth, int maxHeight) {
        return inside(header.displayWidth(), header.displayHeight(), maxWidth, maxHeight);
    }

    /** The same size in the image's stored orientation: width and height swapped for the quarter turns. */
    public Fit stored(ImageHeader header) {
        return header.swapsAxes() ? new Fit(height, width) : this;
    }

    public static Fit inside(int sourceWidth, int sourceHeight, int maxWidth, int maxHeight) {
        if (sourceWidth <= 0 || sourceHeight <= 0) {
            throw new IllegalArgumentException("empty image: " + sourceWidth + "x" + sourceHeight);
        }
        if (sourceWidth <= maxWidth && sourceHeight <= maxHeight) {
            return new Fit(sourceWidth, sourceHeight);
        }
        double scale = Math.min((double) maxWidth / sourceWidth, (double) maxHeight / sourceHeight);
        int width = (int) Math.max(1, Math.min(maxWidth, Math.round(sourceWidth * scale)));
        int height = (int) Math.max(1, Math.min(maxHeight, Math.round(sourceHeight * scale)));
        return new Fit(width, height);
    }
}
