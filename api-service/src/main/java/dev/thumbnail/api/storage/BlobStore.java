package dev.thumbnail.api.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.thumbnail.api.config.ApiConfig;
import io.quarkus.logging.Log;

/**
 * The bucket on a shared file system: originals written by the API, thumbnails written by the workers. Keys come from
 * {@link dev.thumbnail.contracts.BlobKeys} and never from client input.
 */
@ApplicationScoped
public class BlobStore {

    private final Path root;

    public BlobStore(ApiConfig config) {
        this.root = config.storage().dir().toAbsolutePath().normalize();
        this.staging = root.resolve(STAGING);
    }

    /** Uploads are written here as they arrive, on the bucket's own file system, so storing one is a rename. */
    public static final String STAGING = ".uploads";

    private final Path staging;
    private volatile boolean stagingExists;

    /** A new file name to stage an upload in (the file itself is created by the writer). */
    public Path newStagingFile() throws IOException {
        if (!stagingExists) {
            Files.createDirectories(staging);
            stagingExists = true;
        }
        return staging.resolve(UUID.randomUUID() + ".upload");
    }

    /** Moves an uploaded temporary file under {@code key}: a rename when both live on the same file system. */
    public long putFile(Path source, String key) {
        Path target = resolve(key);
        try {
            Files.createDirectories(target.getParent());
            try {
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Path partial = target.resolveSibling(target.getFileName() + ".partial");
                Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            }
            return Files.size(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store blob " + key, e);
        }
    }

    /** The file behind {@code key}, if it exists. */
    public Optional<Path> find(String key) {
        Path path = resolve(key);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    public void delete(String key) {
        try {
            Files.deleteIfExists(resolve(key));
        } catch (IOException e) {
            Log.warnf(e, "could not delete blob %s", key);
        }
    }

    public Path root() {
        return root;
    }

    private Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("blob key escapes the bucket: " + key);
        }
        return path;
    }
}
