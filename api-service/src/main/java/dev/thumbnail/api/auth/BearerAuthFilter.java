package dev.thumbnail.api.auth;

import java.util.Optional;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.thumbnail.api.error.ApiException;

/**
 * {@code Authorization: Bearer <key>} on every REST endpoint. A Quarkus REST filter sees only the resources, so
 * health, metrics, the OpenAPI document and Swagger UI stay open, as probes and readers need. It runs before the
 * upload is read.
 */
public class BearerAuthFilter {

    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final CurrentCaller current;

    public BearerAuthFilter(ApiKeys keys, CurrentCaller current) {
        this.keys = keys;
        this.current = current;
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public void authenticate(ContainerRequestContext request) {
        if (!keys.enabled()) {
            current.set(Caller.ANONYMOUS);
            return;
        }
        current.set(token(request.getHeaderString(HttpHeaders.AUTHORIZATION))
                .flatMap(keys::authenticate)
                .orElseThrow(ApiException::unauthorized));
    }

    static Optional<String> token(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String token = authorization.substring(BEARER.length()).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
