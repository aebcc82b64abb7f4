package dev.thumbnail.api.error;

import java.util.Optional;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers {@code OPTIONS} on the API's paths with 204 and the methods that path takes ({@link AllowedMethods}, RFC
 * 9110 section 9.3.7), before routing: Quarkus REST's own answer lists every method of the resource class, so that
 * {@code OPTIONS /create} claimed GET and {@code OPTIONS /status/{id}} claimed POST. Other paths go on as before.
 */
public class OptionsFilter {

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> answerOptions(HttpServerRequest request) {
        if (request.method() != HttpMethod.OPTIONS) {
            return Optional.empty();
        }
        // The path as sent, as the 405 mapper reads it, so that both answer alike.
        return AllowedMethods.forPath(request.path())
                .map(allowed -> Response.noContent().header(HttpHeaders.ALLOW, allowed).build());
    }
}
