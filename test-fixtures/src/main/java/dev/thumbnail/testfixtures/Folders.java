package dev.thumbnail.testfixtures;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders the tests and benchmarks make and break: deleted whole, or replaced by a file. */
public final class Folders {

    private Folders() {
    }

    /** Deletes {@code root} and everything under it, deepest first; nothing when it does not exist. */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * A plain file where the folder {@code folder} was: nothing can be created inside it, as on a full, read-only or
     * lost volume (the tests run as root, which file modes do not stop).
     */
    public static void replaceWithFile(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            delete(folder);
        }
        Files.write(folder, new byte[] { 0 });
    }
}
