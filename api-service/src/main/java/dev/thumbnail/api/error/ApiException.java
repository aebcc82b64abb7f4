package dev.thumbnail.api.error;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure with a public face: HTTP status, stable machine-readable code and a sentence that is safe to show. The
 * internal cause, if any, is logged by {@link ErrorMapper} and never sent to the client.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String title;
    private final transient Duration retryAfter;

    public ApiException(int status, String code, String title, String detail, Duration retryAfter, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.code = code;
        this.title = title;
        this.retryAfter = retryAfter;
    }

    public static ApiException badRequest(String code, String detail) {
        return new ApiException(400, code, "Bad request", detail, null, null);
    }

    public static ApiException notFound(String code, String detail) {
        return new ApiException(404, code, "Not found", detail, null, null);
    }

    public static ApiException unsupportedMediaType(String code, String detail) {
        return new ApiException(415, code, "Unsupported media type", detail, null, null);
    }

    /** A dependency (Kafka, Redis, storage) is unreachable: the client should retry later. */
    public static ApiException unavailable(String detail, Throwable cause) {
        return new ApiException(503, "SERVICE_UNAVAILABLE", "Service unavailable", detail, Duration.ofSeconds(5),
                cause);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
