package dev.thumbnail.imagemeta;

/**
 * The one check of an image's size against the pixel limit, which both services make from the header before anything
 * is decoded, so that the rule and its words cannot drift apart (imgproxy's {@code security/image_size.go} is the
 * model).
 */
public final class ImageLimits {

    private ImageLimits() {
    }

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
}
