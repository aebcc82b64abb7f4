package dev.thumbnail.api.error;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The table of each path's methods, without a server (a narrow unit test; ErrorResponsesTest checks the answers). */
class AllowedMethodsTest {

    @Test
    void knowsEveryResourceClassOfTheApi() throws IOException, URISyntaxException, ClassNotFoundException {
        // Every class of the API's own code with a JAX-RS @Path, found in its compiled classes.
        Path classes = Path.of(AllowedMethods.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<Class<?>> resources = new HashSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                String name = classes.relativize(file).toString().replace(file.getFileSystem().getSeparator(), ".")
                        .replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, getClass().getClassLoader());
                if (type.isAnnotationPresent(jakarta.ws.rs.Path.class)) {
                    resources.add(type);
                }
            }
        }
        assertEquals(resources, Set.copyOf(AllowedMethods.RESOURCES),
                "a resource class the 405 answers and OPTIONS would not know");
        // The same classes are kept for reflection in a native image (an annotation takes no list constant).
        assertEquals(resources, Set.of(AllowedMethods.class.getAnnotation(RegisterForReflection.class).targets()),
                "a resource class whose methods a native image would not keep");
    }

    @Test
    void namesEachPathsMethods() {
        assertEquals(Optional.of("OPTIONS, POST"), AllowedMethods.forPath("/create"));
        assertEquals(Optional.of("OPTIONS, POST"), AllowedMethods.forPath("create/"));
        assertEquals(Optional.of("GET, HEAD, OPTIONS"), AllowedMethods.forPath("/status/abc"));
        assertEquals(Optional.of("GET, HEAD, OPTIONS"), AllowedMethods.forPath("/status/abc/events"));
        assertEquals(Optional.of("GET, HEAD, OPTIONS"), AllowedMethods.forPath("/dashboard/api/tasks/abc"));
        // Decoded first, as Quarkus REST routes the request.
        assertEquals(Optional.of("OPTIONS, POST"), AllowedMethods.forPath("/cre%61te"));
        assertEquals(Optional.of("GET, HEAD, OPTIONS"), AllowedMethods.forPath("/%73tatus/abc"));
        for (String unknown : List.of("/status", "/status/a/b/c", "/nope", "/", "/cre%zzte", "/%")) {
            assertEquals(Optional.empty(), AllowedMethods.forPath(unknown), unknown);
        }
    }
}
