package dev.thumbnail.imagemeta;

/** Not an image in a supported format: its first bytes match no format of {@link ImageFormat}. */
public final class UnsupportedImageException extends Exception {

    public UnsupportedImageException() {
        super("not an image in a supported format");
    }
}
