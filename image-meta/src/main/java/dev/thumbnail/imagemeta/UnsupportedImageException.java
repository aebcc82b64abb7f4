package dev.thumbnail.imagemeta;

/**
 * Not an image in a supported format: its first bytes match no format of {@link ImageFormat}, or its header shows a
 * process of that format that no decoder here reads (the message says which).
 */
public final class UnsupportedImageException extends Exception {

    public UnsupportedImageException() {
        super("not an image in a supported format");
    }

    public UnsupportedImageException(String what) {
        super("not supported: " + what);
    }
}
