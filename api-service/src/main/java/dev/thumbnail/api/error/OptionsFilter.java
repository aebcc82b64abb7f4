package dev.thumbnail.api.error;

import java.util.Optional;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Answers {@code OPTIONS} on the API's paths with 204 and the methods that path takes ({@link AllowedMethods}, RFC
 * 9110 section 9.3.7), before routing: Quarkus REST's own answer lists every method of the resource class, so that
 * {@code OPTIONS /create} claimed GET and {@code OPTIONS /status/{id}} claimed POST. Other paths go on as before.
 */
public class OptionsFilter {

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> answerOptions(ContainerRequestContext request) {
        if (!HttpMethod.OPTIONS.equals(request.getMethod())) {
            return Optional.empty();
        }
        return AllowedMethods.forPath(request.getUriInfo().getPath())
                .map(allowed -> Response.noContent().header(HttpHeaders.ALLOW, allowed).build());
    }
}
