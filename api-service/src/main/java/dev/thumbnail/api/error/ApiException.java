package dev.thumbnail.api.error;

import java.time.Duration;
import java.util.Map;

import dev.thumbnail.contracts.ErrorCodes;

/**
 * A failure with a public face: HTTP status, stable machine-readable code, a sentence that is safe to show and the
 * headers the status calls for ({@code Retry-After}, {@code WWW-Authenticate}). The internal cause, if any, is logged
 * by {@link ErrorMapper} and never sent to the client.
 */
public class ApiException extends RuntimeException {

    /** Sent with every 401, as RFC 9110 requires: tells the client which scheme to use. */
    public static final String BEARER_CHALLENGE = "Bearer realm=\"thumbnail\"";

    /** How long a client should wait before retrying a 429 or 503; the conditions behind both clear in seconds. */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final int status;
    private final String code;
    private final String title;
    private final transient Map<String, String> headers;

    public ApiException(int status, String code, String title, String detail, Map<String, String> headers,
            Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.code = code;
        this.title = title;
        this.headers = Map.copyOf(headers);
    }

    public static ApiException badRequest(String code, String detail) {
        return new ApiException(400, code, "Bad request", detail, Map.of(), null);
    }

    /** Missing or unknown API key; the detail never says which of the two, nor echoes the key. */
    public static ApiException unauthorized() {
        return new ApiException(401, "UNAUTHORIZED", "Unauthorized",
                "A valid API key is required: send it as 'Authorization: Bearer <key>'.",
                Map.of("WWW-Authenticate", BEARER_CHALLENGE), null);
    }

    /**
     * A known caller asking for something only an admin key may see (the dashboard's data, every task's events). Not
     * 404: these are fixed endpoints, not a task whose existence could leak, so saying "not for this key" hides nothing.
     */
    public static ApiException forbidden() {
        return new ApiException(403, "FORBIDDEN", "Forbidden", "This endpoint needs an admin API key.", Map.of(), null);
    }

    public static ApiException notFound(String code, String detail) {
        return new ApiException(404, code, "Not found", detail, Map.of(), null);
    }

    /** With {@code Connection: close}: the rest of an over-limit body is not worth reading. */
    /** The header shows more pixels than the configured limit: refused before anything is stored. */
    public static ApiException imageTooLarge(String detail) {
        return new ApiException(413, ErrorCodes.IMAGE_TOO_LARGE, "Image too large", detail, Map.of(), null);
    }

    public static ApiException payloadTooLarge(long maxBytes) {
        return new ApiException(413, "PAYLOAD_TOO_LARGE", "Payload too large",
                "The upload is larger than the limit of " + maxBytes + " bytes.", Map.of("Connection", "close"), null);
    }

    /**
     * 408 (RFC 9110 section 15.5.9): the upload's body did not arrive within {@code timeout}
     * ({@code thumbnail.upload.timeout}). The connection is closed after the answer: the rest of the body is not read.
     */
    public static ApiException uploadTimeout(java.time.Duration timeout) {
        return new ApiException(408, "UPLOAD_TIMEOUT", "Request timeout", "The upload's body did not arrive within "
                + timeout.toSeconds() + " s; send it again over a faster connection, or a smaller image.",
                Map.of("Connection", "close"), null);
    }

    public static ApiException unsupportedMediaType(String code, String detail) {
        return new ApiException(415, code, "Unsupported media type", detail, Map.of(), null);
    }

    /** A multipart upload whose image part is not an image in a format the service reads. */
    public static ApiException unsupportedFormat(String detail) {
        return new ApiException(415, ErrorCodes.UNSUPPORTED_FORMAT, "Unsupported image format", detail, Map.of(), null);
    }

    /** The caller already has as many unfinished tasks as it may; it should wait for some to finish. */
    public static ApiException tooManyPending(int maxPending) {
        return new ApiException(429, "TOO_MANY_PENDING", "Too many pending tasks",
                "This API key already has " + maxPending + " tasks that are not finished; retry when some are.",
                retryAfter(), null);
    }

    /** The caller holds as many {@code ?wait=} requests and event streams open as one key may. */
    public static ApiException tooManyWaits(int max) {
        return new ApiException(429, "TOO_MANY_WAITS", "Too many open waits",
                "This API key already holds " + max + " waiting requests and event streams open on this instance; "
                        + "retry when some have ended.", retryAfter(), null);
    }

    /** A dependency (Kafka, Redis, storage) is unreachable: the client should retry later. */
    public static ApiException unavailable(String detail, Throwable cause) {
        return new ApiException(503, "SERVICE_UNAVAILABLE", "Service unavailable", detail, retryAfter(), cause);
    }

    private static Map<String, String> retryAfter() {
        return Map.of("Retry-After", Long.toString(RETRY_AFTER.toSeconds()));
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

    public Map<String, String> headers() {
        return headers;
    }
}
