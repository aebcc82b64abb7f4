package dev.thumbnail.api.error;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.thumbnail.api.config.ApiConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Problem documents for the requests that never reach Quarkus REST, so {@link ErrorMapper} cannot answer them: a body
 * whose Content-Length is over the limit, refused before a byte of it is read (Quarkus would answer an empty 413), and
 * a path nothing serves (Vert.x would answer a bare 404). Same documents, same codes.
 * <p>
 * After refusing a body as too large, the rest of it is read and discarded before the connection is closed, up to
 * {@link #DRAIN_MAX_BYTES}, {@link #DRAIN_MAX_TIME_MILLIS} and pauses of {@link #DRAIN_IDLE_MILLIS} (nginx's lingering
 * close: {@code lingering_time} 30 s, {@code lingering_timeout} 5 s, ngx_http_core_module): a client
 * that writes its whole body before reading (a browser's {@code fetch}, Node's) would otherwise see the connection
 * reset while it writes, and a network error instead of the problem document (issue 12).
 */
@ApplicationScoped
public class HttpLayerProblems {

    /**
     * Where Quarkus' Content-Length route leaves the limit for its body stream when a body has no Content-Length
     * (chunked). Not a public API: {@code ErrorResponsesTest} notices if it changes.
     */
    static final String STREAM_LIMIT_KEY = "io.quarkus.max-request-size";

    /** More than the stream reads ahead of the multipart reader, so the reader always reaches the limit first. */
    static final long STREAM_HEADROOM = 1024 * 1024;

    /** The most of a refused body read and discarded before the connection is closed anyway. */
    static final long DRAIN_MAX_BYTES = 64L * 1024 * 1024;

    /** The longest a refused body is read for (nginx's {@code lingering_time} default). */
    static final long DRAIN_MAX_TIME_MILLIS = 30_000;

    /** How long a refused body may pause before the connection is closed (nginx's {@code lingering_timeout}). */
    static final long DRAIN_IDLE_MILLIS = 5_000;

    private final long maxBytes;
    private final Buffer tooLarge;
    private final Buffer notFound;

    public HttpLayerProblems(ApiConfig config, ObjectMapper json) throws JsonProcessingException {
        this.maxBytes = config.upload().maxBytes().asLongValue();
        ApiException tooLargeProblem = ApiException.payloadTooLarge(maxBytes);
        this.tooLarge = Buffer.buffer(json.writeValueAsBytes(Problem.of(413, tooLargeProblem.code(),
                tooLargeProblem.title(), tooLargeProblem.getMessage())));
        this.notFound = Buffer.buffer(json.writeValueAsBytes(Problem.of(404, "NOT_FOUND", "Not found",
                ErrorMapper.detailFor(404))));
    }

    void install(@Observes Router router) {
        // Ahead of Quarkus' own Content-Length check, which shares the limit (max-body-size follows max-bytes).
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::refuseOversizedBody);
        // A chunked body is counted while it is read. Quarkus' body stream would stop it with an empty 413; the
        // multipart reader stops it at the same limit with an exception that ErrorMapper turns into a problem. Let
        // the reader be the one that does.
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(this::leaveChunkedLimitToReader);
        // Behind every other route: REST resources, /q/openapi, /q/swagger-ui (and /q/health and /q/metrics where
        // there is no management interface: in @QuarkusTest).
        router.route().order(Integer.MAX_VALUE).handler(context -> send(context, 404, notFound));
    }

    private void refuseOversizedBody(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredLength(length) > maxBytes) {
            // Answer at once: a client that waits for 100-continue never sends the body; one that sends it anyway
            // has it discarded (up to a bound) and reads the answer before the connection closes.
            context.response().putHeader(HttpHeaders.CONNECTION, "close");
            drainThenClose(context, send(context, 413, tooLarge));
            return;
        }
        context.next();
    }

    private void leaveChunkedLimitToReader(RoutingContext context) {
        if (context.get(STREAM_LIMIT_KEY) != null) {
            context.put(STREAM_LIMIT_KEY, maxBytes + STREAM_HEADROOM);
            // Once refused, the rest of the body is discarded and the connection closed (HTTP/1.1 cannot skip it).
            context.addEndHandler(ended -> {
                if (context.response().getStatusCode() == 413 && !context.request().isEnded()) {
                    drainThenClose(context, Future.succeededFuture());
                }
            });
        }
        context.next();
    }

    /**
     * Reads and discards the rest of a refused request body, then closes the connection once {@code answered}: at the
     * body's end, after {@link #DRAIN_MAX_BYTES}, after {@link #DRAIN_MAX_TIME_MILLIS}, after a pause of
     * {@link #DRAIN_IDLE_MILLIS}, or when the client goes.
     */
    private static void drainThenClose(RoutingContext context, Future<Void> answered) {
        HttpServerRequest request = context.request();
        if (request.version() == HttpVersion.HTTP_2) {
            return; // the stream is reset on its own; the connection carries other streams
        }
        HttpConnection connection = request.connection();
        if (request.isEnded()) {
            answered.onComplete(done -> connection.close());
            return;
        }
        var vertx = context.vertx();
        long started = System.nanoTime();
        long[] lastData = { started };
        long[] left = { DRAIN_MAX_BYTES };
        long[] timer = { -1 };
        boolean[] closing = { false };
        // All on the connection's event loop: whichever ends the draining first closes, once.
        Runnable close = () -> {
            if (!closing[0]) {
                closing[0] = true;
                vertx.cancelTimer(timer[0]);
                request.handler(null).endHandler(null).exceptionHandler(null);
                answered.onComplete(done -> connection.close());
            }
        };
        timer[0] = vertx.setPeriodic(500, tick -> {
            long now = System.nanoTime();
            if (now - started > DRAIN_MAX_TIME_MILLIS * 1_000_000 || now - lastData[0] > DRAIN_IDLE_MILLIS * 1_000_000) {
                close.run();
            }
        });
        request.handler(discarded -> {
            lastData[0] = System.nanoTime();
            left[0] -= discarded.length();
            if (left[0] < 0) {
                close.run();
            }
        });
        request.endHandler(end -> close.run());
        request.exceptionHandler(failed -> close.run());
        request.resume();
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Future<Void> send(RoutingContext context, int status, Buffer problem) {
        return context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(problem);
    }
}
