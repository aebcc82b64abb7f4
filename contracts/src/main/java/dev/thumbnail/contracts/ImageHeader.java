package dev.thumbnail.contracts;

/**
 * What an image's header says, read without decoding a pixel: format, stored size, frame count and EXIF orientation.
 * Both services check it against the pixel limit before any decoder runs.
 *
 * @param frames      frames of an animation (GIF, animated PNG/WebP); 1 otherwise
 * @param orientation EXIF orientation 1-8; 1 ("as stored") when absent or invalid
 */
public record ImageHeader(ImageFormat format, int width, int height, int frames, int orientation) {

    /** Pixels a decoder could be asked to produce: every frame counts. */
    public long pixels() {
        return (long) width * height * Math.max(1, frames);
    }

    /** Orientations 5-8 turn the image by a quarter: it is displayed with width and height swapped. */
    public boolean swapsAxes() {
        return orientation >= 5 && orientation <= 8;
    }

    public int displayWidth() {
        return swapsAxes() ? height : width;
    }

    public int displayHeight() {
        return swapsAxes() ? width : height;
    }
}
