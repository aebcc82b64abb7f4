package dev.thumbnail.worker.pipeline;

import dev.thumbnail.contracts.ErrorCodes;

/**
 * An image that cannot be made into a thumbnail: a stable code from {@link ErrorCodes} and a message in the service's
 * own words, safe to show to the client. What a library said goes in the cause, which only the worker's log sees.
 */
public class PipelineException extends Exception {

    private final String code;

    /** With the service's sentence for {@code code}. */
    public PipelineException(String code, Throwable cause) {
        this(code, ErrorCodes.publicMessage(code), cause);
    }

    /** With a sentence of the service's own that says more than the code's (a size, a limit). */
    public PipelineException(String code, String message) {
        this(code, message, null);
    }

    public PipelineException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
