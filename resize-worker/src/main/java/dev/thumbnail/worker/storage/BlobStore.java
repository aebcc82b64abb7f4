package dev.thumbnail.worker.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import jakarta.enterprise.context.ApplicationScoped;

import dev.thumbnail.worker.config.WorkerConfig;

/**
 * The bucket on the shared file system. Thumbnails are written to a temporary file and renamed into place, so a reader
 * never sees half a file and a redelivered task simply replaces the thumbnail with an identical one.
 */
@ApplicationScoped
public class BlobStore {

    private final Path root;

    public BlobStore(WorkerConfig config) {
        this.root = config.storage().dir().toAbsolutePath().normalize();
    }

    /** The file behind {@code key}; it may not exist. */
    public Path path(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("blob key escapes the bucket: " + key);
        }
        return path;
    }

    public void write(String key, byte[] bytes) throws IOException {
        Path target = path(key);
        Path folder = target.getParent();
        if (!folder.equals(lastFolder)) {
            Files.createDirectories(folder);
            lastFolder = folder;
        }
        // A name of this process and thread's own: two workers redoing one task never share a partial file.
        Path partial = target.resolveSibling(target.getFileName() + "." + PROCESS + "-" + Thread.currentThread().getId()
                + ".partial");
        try {
            Files.write(partial, bytes);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
    }

    /** Random, not the pid: every container's worker may be pid 1. */
    private static final String PROCESS = java.util.UUID.randomUUID().toString().substring(0, 8);
    private volatile Path lastFolder;
}
