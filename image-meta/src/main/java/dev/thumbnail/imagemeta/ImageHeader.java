package dev.thumbnail.imagemeta;

/**
 * What an image's header says, read without decoding a pixel: format, stored size, frame count and EXIF orientation.
 * Both services check it against the pixel limit before any decoder runs ({@link ImageLimits}).
 *
 * @param width       stored width in pixels (for a GIF, its logical screen's)
 * @param frames      frames of an animation (GIF, animated PNG/WebP); 1 otherwise
 * @param orientation EXIF orientation 1-8; 1 ("as stored") when absent or invalid
 * @param pixels      pixels a decoder could be asked to produce: every frame counts, each at least the size of the
 *                    picture (a GIF frame larger than its screen counts at its own size)
 * @param decodedWhole whether the image's coding leaves a decoder no way to shrink it on load or to stream it, so that
 *                    every pixel is held at full size, 4 bytes each, before it is made smaller: a WebP coded
 *                    losslessly (VP8L), or with an alpha plane (ALPH, itself coded losslessly). Such images have a lower
 *                    limit of their own ({@link ImageLimits#check(ImageHeader, long, long)})
 */
public record ImageHeader(ImageFormat format, int width, int height, int frames, int orientation, long pixels,
        boolean decodedWhole) {

    /** A header whose frames are all the picture's size. */
    public ImageHeader(ImageFormat format, int width, int height, int frames, int orientation) {
        this(format, width, height, frames, orientation, (long) width * height * Math.max(1, frames));
    }

    /** A header whose decoders can shrink it on load or stream it. */
    public ImageHeader(ImageFormat format, int width, int height, int frames, int orientation, long pixels) {
        this(format, width, height, frames, orientation, pixels, false);
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
