package dev.thumbnail.worker.pipeline;

/**
 * An image that cannot be made into a thumbnail, with a stable code from {@link dev.thumbnail.contracts.ErrorCodes}
 * and a message that is safe to show to the client. The cause stays in the worker's log.
 */
public class PipelineException extends Exception {

    private final String code;

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
