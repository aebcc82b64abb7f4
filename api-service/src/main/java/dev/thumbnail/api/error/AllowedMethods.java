package dev.thumbnail.api.error;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;

import dev.thumbnail.api.dashboard.DashboardResource;
import dev.thumbnail.api.task.TaskResource;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The methods each path of the API takes, read once from its resource classes' annotations: what a 405 answer's
 * {@code Allow} header must name (RFC 9110 section 15.5.6: "The origin server MUST generate an Allow header field in
 * a 405 response") and what OPTIONS answers. Quarkus REST sends its 405 without one, and answers OPTIONS with every
 * method of the resource class, whatever the path. GET implies HEAD (JAX-RS answers HEAD for every GET); OPTIONS is
 * always taken.
 */
// The resource classes' methods and annotations are read by reflection, also in a native image.
@RegisterForReflection(targets = { TaskResource.class, DashboardResource.class }, methods = true)
public final class AllowedMethods {

    /** The classes whose methods serve the API's paths; a resource class added to the API is added here. */
    static final List<Class<?>> RESOURCES = List.of(TaskResource.class, DashboardResource.class);

    private record Route(Pattern path, Set<String> methods) {
    }

    private static final List<Route> ROUTES = routes(RESOURCES);

    private AllowedMethods() {
    }

    /**
     * The methods {@code path} takes, as an {@code Allow} header's value in a fixed order (for example
     * {@code "GET, HEAD, OPTIONS"}); empty for a path no resource serves.
     *
     * @param path the request's path as sent, with or without its leading slash, without the query: percent-encoded
     *     octets are decoded first, and one trailing slash is ignored, as Quarkus REST's routing does (so that
     *     {@code PUT /cre%61te} is told the methods of {@code /create}, where it was routed)
     */
    public static Optional<String> forPath(String path) {
        String decoded = decoded(path);
        String relative = decoded.startsWith("/") ? decoded.substring(1) : decoded;
        if (relative.endsWith("/")) {
            relative = relative.substring(0, relative.length() - 1);
        }
        Set<String> methods = new TreeSet<>();
        for (Route route : ROUTES) {
            if (route.path().matcher(relative).matches()) {
                methods.addAll(route.methods());
            }
        }
        if (methods.isEmpty()) {
            return Optional.empty();
        }
        methods.add("OPTIONS");
        return Optional.of(String.join(", ", methods));
    }

    /** {@code raw} with its percent-encoded octets decoded as UTF-8; as it is when it holds an invalid escape. */
    private static String decoded(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        try {
            String path = new URI(raw).getPath();
            return path == null ? raw : path;
        } catch (URISyntaxException e) {
            return raw;
        }
    }

    static List<Route> routes(List<Class<?>> resources) {
        List<Route> routes = new ArrayList<>();
        for (Class<?> resource : resources) {
            String base = trim(Optional.ofNullable(resource.getAnnotation(Path.class)).map(Path::value).orElse(""));
            for (Method method : resource.getMethods()) {
                String httpMethod = httpMethod(method);
                if (httpMethod == null) {
                    continue;
                }
                // Without a @Path of its own, a resource method serves its class's path.
                String own = trim(Optional.ofNullable(method.getAnnotation(Path.class)).map(Path::value).orElse(""));
                String template = base.isEmpty() || own.isEmpty() ? base + own : base + "/" + own;
                Set<String> methods = new TreeSet<>(Set.of(httpMethod));
                if (httpMethod.equals(HttpMethod.GET)) {
                    methods.add(HttpMethod.HEAD);
                }
                routes.add(new Route(pattern(template), methods));
            }
        }
        return routes;
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod designator = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (designator != null) {
                return designator.value();
            }
        }
        return null;
    }

    /** A URI template's {@code {name}} matches one path segment; everything else is literal. */
    private static Pattern pattern(String template) {
        StringBuilder regex = new StringBuilder();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf('{', at);
            if (open < 0) {
                regex.append(Pattern.quote(template.substring(at)));
                break;
            }
            regex.append(Pattern.quote(template.substring(at, open))).append("[^/]+");
            at = template.indexOf('}', open) + 1;
        }
        return Pattern.compile(regex.toString());
    }

    private static String trim(String path) {
        String trimmed = path;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
