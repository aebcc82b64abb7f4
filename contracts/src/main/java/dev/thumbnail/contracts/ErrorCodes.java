package dev.thumbnail.contracts;

import java.util.Map;

/**
 * Stable failure codes carried in {@link ResizeCompleted.ErrorInfo#code()}, and the service's own sentence for each,
 * which is what clients read: a library's message (a decoder's, the file system's) goes to the log with the task id,
 * never to a client. Clients may switch on the codes.
 */
public final class ErrorCodes {

    /** The bytes are not an image in a format the service reads, or no decoder reads its process or layout. */
    public static final String UNSUPPORTED_FORMAT = "UNSUPPORTED_FORMAT";
    /** The image data is damaged: truncated, or corrupt where a decoder cannot go on. */
    public static final String CORRUPT_IMAGE = "CORRUPT_IMAGE";
    /** The image's dimensions exceed the configured pixel limit. */
    public static final String IMAGE_TOO_LARGE = "IMAGE_TOO_LARGE";
    /** Processing took longer than the configured deadline. */
    public static final String TIMEOUT = "TIMEOUT";
    /** The original is gone from the blob store, or the store kept failing until the deadline. */
    public static final String STORAGE_ERROR = "STORAGE_ERROR";
    /**
     * The worker making the thumbnail ended (killed for its memory, say, or crashed) while decoding it, twice: the task
     * fails rather than end every worker that takes it next. Celery's name for a worker that ends mid-task is
     * {@code WorkerLostError}.
     */
    public static final String WORKER_LOST = "WORKER_LOST";
    /** Anything else; the cause is in the worker's log under the task id. */
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";

    private static final Map<String, String> SENTENCES = Map.of(
            UNSUPPORTED_FORMAT, "The file is not an image in a supported format (JPEG, PNG, GIF, BMP, WebP, TIFF), "
                    + "or it uses a variant of its format that no decoder here reads.",
            CORRUPT_IMAGE, "The image data is damaged or truncated and cannot be decoded.",
            IMAGE_TOO_LARGE, "The image has more pixels than this service accepts.",
            TIMEOUT, "Making the thumbnail took longer than the time allowed per image.",
            STORAGE_ERROR, "The original image could not be read from storage, or the thumbnail not written.",
            WORKER_LOST, "The worker making this thumbnail stopped while decoding the image, twice; it is not tried "
                    + "again.",
            INTERNAL_ERROR, "The thumbnail could not be made; the error has been logged.");

    private ErrorCodes() {
    }

    /** The service's sentence for {@code code}, safe to show to anyone; the internal error's for an unknown code. */
    public static String publicMessage(String code) {
        return SENTENCES.getOrDefault(code, SENTENCES.get(INTERNAL_ERROR));
    }
}
