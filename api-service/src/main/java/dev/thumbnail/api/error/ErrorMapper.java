package dev.thumbnail.api.error;

import java.util.Locale;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.thumbnail.api.config.ApiConfig;
import dev.thumbnail.contracts.ErrorCodes;
import io.vertx.core.http.HttpServerRequest;
import io.quarkus.logging.Log;

/**
 * The one place where failures become HTTP answers: always a problem document, never HTML, a stack trace or a class
 * name. Causes are logged here, once, on the server. What never reaches Quarkus REST (a body over the limit announced
 * by Content-Length, a path no resource serves) is answered by {@link HttpLayerProblems} with the same documents.
 */
public class ErrorMapper {

    private final ApiConfig config;

    public ErrorMapper(ApiConfig config) {
        this.config = config;
    }

    @ServerExceptionMapper
    public Response mapApiException(ApiException e) {
        if (e.status() == 503 && e.getCause() != null) {
            // A backend away: one line per refused request says which and why; a stack trace each would bury the
            // log during an outage.
            Log.warnf("%s: %s (%s)", e.code(), e.getMessage(), e.getCause());
        } else if (e.status() >= 500) {
            Log.warnf(e.getCause(), "%s: %s", e.code(), e.getMessage());
        }
        Response.ResponseBuilder response = problem(e.status(), e.code(), e.title(), e.getMessage());
        e.headers().forEach(response::header);
        return response.build();
    }

    @ServerExceptionMapper
    public Response mapWebApplicationException(WebApplicationException e, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        if (status == 413) {
            // The multipart reader counts a body sent without Content-Length (chunked) and stops at the limit.
            return mapApiException(ApiException.payloadTooLarge(config.upload().maxBytes().asLongValue()));
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String reason = known != null ? known.getReasonPhrase() : "HTTP " + status;
        String code = reason.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
        // In sentence case, as every other title of this service ("Method Not Allowed" -> "Method not allowed"); the
        // one initialism a reason phrase or the fallback starts with stays as it is ("HTTP Version Not Supported").
        String title = (reason.charAt(0) + reason.substring(1).toLowerCase(Locale.ROOT))
                .replaceFirst("^Http\\b", "HTTP");
        Response.ResponseBuilder response = problem(status, code, title, detailFor(status));
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(value -> response.header(name, value));
            }
        });
        if (status == 405 && e.getResponse().getHeaderString(HttpHeaders.ALLOW) == null) {
            // RFC 9110 section 15.5.6: a 405 names the methods the path takes; Quarkus REST's does not.
            AllowedMethods.forPath(request.path()).ifPresent(allowed -> response.header(HttpHeaders.ALLOW, allowed));
        }
        return response.build();
    }

    /** Jackson's messages name Java types and fields: keep them in the log. */
    @ServerExceptionMapper
    public Response mapJsonProcessingException(JsonProcessingException e) {
        Log.debugf("unreadable JSON body: %s", e.getOriginalMessage());
        return problem(400, "MALFORMED_JSON", "Bad request", "The request body is not valid JSON.").build();
    }

    @ServerExceptionMapper
    public Response mapUnexpected(Throwable e) {
        Log.error("unexpected failure", e);
        return problem(500, ErrorCodes.INTERNAL_ERROR, "Internal server error",
                "The request could not be completed; the error has been logged.").build();
    }

    static String detailFor(int status) {
        return switch (status) {
            case 404 -> "No resource at this path.";
            case 405 -> "This method is not allowed on this path.";
            case 406 -> "The requested representation is not available.";
            case 415 -> "The request body's media type is not accepted here; upload with multipart/form-data.";
            default -> "The request could not be processed.";
        };
    }

    private static Response.ResponseBuilder problem(int status, String code, String title, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Problem.of(status, code, title, detail));
    }
}
