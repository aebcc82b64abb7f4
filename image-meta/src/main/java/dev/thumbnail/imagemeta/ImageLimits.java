package dev.thumbnail.imagemeta;

/**
 * The one check of an image's size against the pixel limit, which both services make from the header before anything
 * is decoded, so that the rule and its words cannot drift apart (imgproxy's {@code security/image_size.go} is the
 * model).
 */
public final class ImageLimits {

    private ImageLimits() {
    }

    /**
     * The most scans a progressive JPEG may have: libjpeg-turbo's own limit for untrusted input
     * ({@code TJFLAG_LIMITSCANS}, "more than 500 scans"), applied before any decoder runs so that it holds on every
     * decoder path. Encoders write 10 (libjpeg's default script) to about 20 (mozjpeg).
     */
    public static final int MAX_SCANS = 500;

    /** Over the limit: the public sentence says how large the image is and what the limit is. */
    public static final class TooLargeException extends Exception {
        TooLargeException(String message) {
            super(message);
        }
    }

    /**
     * @param maxPixels the most pixels a decoder may produce for one image, all frames counted
     * @throws TooLargeException when the header says more
     */
    public static void check(ImageHeader header, long maxPixels) throws TooLargeException {
        if (header.pixels() > maxPixels) {
            throw new TooLargeException("The image is " + header.width() + "x" + header.height()
                    + (header.frames() > 1 ? " pixels in " + header.frames() + " frames" : " pixels")
                    + "; the limit is " + maxPixels + " pixels.");
        }
    }

    /**
     * {@link #check(ImageHeader, long)}, and for an image that is {@linkplain ImageHeader#decodedWhole decoded whole}
     * (4 bytes per pixel held at once, whatever the thumbnail's size) the lower limit of such images: a 7000x7000
     * lossless WebP is 15 KB on the wire and 196 MB in memory.
     *
     * @param maxDecodedWholePixels the most pixels of an image decoded whole (its first frame's)
     * @throws TooLargeException when the header says more than either limit
     */
    public static void check(ImageHeader header, long maxPixels, long maxDecodedWholePixels) throws TooLargeException {
        check(header, maxPixels);
        if (header.decodedWhole() && (long) header.width() * header.height() > maxDecodedWholePixels) {
            throw new TooLargeException("The image is " + header.width() + "x" + header.height() + " pixels, coded "
                    + "losslessly or with an alpha plane, which no decoder here can shrink while it decodes; the limit "
                    + "for such images is " + maxDecodedWholePixels + " pixels.");
        }
    }

    /**
     * @param scans the JPEG's scan count ({@link JpegScans#count})
     * @throws TooLargeException when there are more than {@link #MAX_SCANS}
     */
    public static void checkScans(int scans) throws TooLargeException {
        if (scans > MAX_SCANS) {
            throw new TooLargeException("The image is a progressive JPEG of more than " + MAX_SCANS
                    + " scans, which takes too long to decode; the limit is " + MAX_SCANS + " scans.");
        }
    }
}
