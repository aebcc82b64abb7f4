package dev.thumbnail.api.error;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.logging.Log;

/**
 * The one place where failures become HTTP answers: always a problem document, never HTML, a stack trace or a class
 * name. Causes are logged here, once, on the server.
 */
public class ErrorMapper {

    @ServerExceptionMapper
    public Response mapApiException(ApiException e) {
        if (e.status() >= 500) {
            Log.warnf(e.getCause(), "%s: %s", e.code(), e.getMessage());
        }
        Response.ResponseBuilder response = problem(e.status(), e.code(), e.title(), e.getMessage());
        e.retryAfter().ifPresent(after -> response.header(HttpHeaders.RETRY_AFTER, after.toSeconds()));
        return response.build();
    }

    @ServerExceptionMapper
    public Response mapWebApplicationException(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase() : "HTTP " + status;
        String code = title.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
        Response.ResponseBuilder response = problem(status, code, title, detailFor(status));
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE) && !name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                values.forEach(value -> response.header(name, value));
            }
        });
        return response.build();
    }

    @ServerExceptionMapper
    public Response mapUnexpected(Throwable e) {
        Log.error("unexpected failure", e);
        return problem(500, "INTERNAL_ERROR", "Internal server error",
                "The request could not be completed; the error has been logged.").build();
    }

    private static String detailFor(int status) {
        return switch (status) {
            case 404 -> "No resource at this path.";
            case 405 -> "This method is not allowed on this path.";
            case 406 -> "The requested representation is not available.";
            case 415 -> "The request body's media type is not accepted here.";
            default -> "The request could not be processed.";
        };
    }

    private static Response.ResponseBuilder problem(int status, String code, String title, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Problem.of(status, code, title, detail));
    }
}
