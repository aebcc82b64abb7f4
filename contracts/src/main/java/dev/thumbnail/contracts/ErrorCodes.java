package dev.thumbnail.contracts;

/** Stable failure codes carried in {@link ResizeCompleted.ErrorInfo#code()}. Clients may switch on them. */
public final class ErrorCodes {

    /** The bytes are not an image in a format the service reads. */
    public static final String UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT";
    /** The image is truncated, corrupt or otherwise undecodable. */
    public static final String CORRUPT_IMAGE = "CORRUPT_IMAGE";
    /** The image's dimensions exceed the configured pixel limit. */
    public static final String IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE";
    /** Processing took longer than the configured deadline. */
    public static final String TIMEOUT = "TIMEOUT";
    /** The original could not be read from, or the thumbnail not written to, the blob store. */
    public static final String STORAGE_ERROR = "STORAGE_ERROR";
    /** Anything else; the cause is in the worker's log under the task id. */
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private ErrorCodes() {
    }
}
