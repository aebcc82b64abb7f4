package dev.thumbnail.imagemeta;

/** Recognised by its magic bytes, but its header is broken or truncated; the message says how, in our words. */
public final class CorruptImageException extends Exception {

    public CorruptImageException(String message) {
        super(message);
    }
}
