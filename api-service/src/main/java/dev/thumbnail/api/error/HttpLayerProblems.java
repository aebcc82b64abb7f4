package dev.thumbnail.api.error;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.thumbnail.api.config.ApiConfig;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Problem documents for the requests that never reach Quarkus REST, so {@link ErrorMapper} cannot answer them: a body
 * whose Content-Length is over the limit, refused before a byte of it is read (Quarkus would answer an empty 413), and
 * a path nothing serves (Vert.x would answer a bare 404). Same documents, same codes.
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

    private final long maxBytes;
    private final Buffer tooLarge;
    private final Buffer notFound;

    public HttpLayerProblems(ApiConfig config, ObjectMapper json) throws JsonProcessingException {
        this.maxBytes = config.upload().maxBytes().asLongValue();
        ApiException tooLargeProblem = ApiException.payloadTooLarge(maxBytes);
        this.tooLarge = Buffer.buffer(json.writeValueAsBytes(Problem.of(413, tooLargeProblem.code(),
                tooLargeProblem.title(), tooLargeProblem.getMessage())));
        this.notFound = Buffer.buffer(json.writeValueAsBytes(Problem.of(404, "NOT_FOUND", "Not Found",
                ErrorMapper.detailFor(404))));
    }

    void install(@Observes Router router) {
        // Ahead of Quarkus' own Content-Length check, which shares the limit (max-body-size follows max-bytes).
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::refuseOversizedBody);
        // A chunked body is counted while it is read. Quarkus' body stream would stop it with an empty 413; the
        // multipart reader stops it at the same limit with an exception that ErrorMapper turns into a problem. Let
        // the reader be the one that does.
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(this::leaveChunkedLimitToReader);
        // Behind every other route: REST resources, /q/health, /q/openapi, /q/swagger-ui.
        router.route().order(Integer.MAX_VALUE).handler(context -> send(context, 404, notFound));
    }

    private void refuseOversizedBody(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && declaredLength(length) > maxBytes) {
            // Answer at once and close: the client is told before it sends the body, and a client that sends it
            // anyway is not read from.
            context.response().putHeader(HttpHeaders.CONNECTION, "close")
                    .endHandler(ended -> context.request().connection().close());
            send(context, 413, tooLarge);
            return;
        }
        context.next();
    }

    private void leaveChunkedLimitToReader(RoutingContext context) {
        if (context.get(STREAM_LIMIT_KEY) != null) {
            context.put(STREAM_LIMIT_KEY, maxBytes + STREAM_HEADROOM);
            // Once refused, the rest of the body is not read; on HTTP/1.1 that leaves only closing the connection.
            context.addEndHandler(ended -> {
                if (context.response().getStatusCode() == 413 && !context.request().isEnded()
                        && context.request().version() != HttpVersion.HTTP_2) {
                    context.request().connection().close();
                }
            });
        }
        context.next();
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void send(RoutingContext context, int status, Buffer problem) {
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(problem);
    }
}
