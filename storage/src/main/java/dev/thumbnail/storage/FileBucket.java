package dev.thumbnail.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The bucket as a directory shared by the services (a volume in containers; ReadWriteMany on Kubernetes). Objects are
 * written to a partial file of this process and thread and renamed into place, so a reader never sees half of one.
 * Every I/O failure is transient: a read-only or full volume recovers without the task being at fault.
 */
public final class FileBucket implements Bucket {

    /** Uploads are staged here as they arrive, on the bucket's own file system, so storing one is a rename. */
    public static final String STAGING = ".uploads";

    /** Random, not the pid: every container's process may be pid 1. */
    private static final String PROCESS = UUID.randomUUID().toString().substring(0, 8);

    private final Path root;
    private final Path staging;
    private volatile boolean stagingExists;
    private volatile Path lastFolder;

    public FileBucket(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.staging = this.root.resolve(STAGING);
    }

    @Override
    public Path stagingDir() throws StorageException {
        if (!stagingExists || !Files.isDirectory(staging)) {
            try {
                Files.createDirectories(staging);
            } catch (IOException e) {
                stagingExists = false;
                throw failed("cannot create the staging directory " + staging, e);
            }
            stagingExists = true;
        }
        return staging;
    }

    @Override
    public long put(String key, Path file) throws StorageException {
        Path target = resolve(key);
        try {
            folder(target);
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Path partial = partial(target);
                Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                Files.deleteIfExists(file);
            }
            return Files.size(target);
        } catch (IOException e) {
            throw failed("cannot store " + key, e);
        }
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) throws StorageException {
        Path target = resolve(key);
        Path partial = partial(target);
        try {
            folder(target);
            Files.write(partial, bytes);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // the sweeper removes it
            }
            throw failed("cannot store " + key, e);
        }
    }

    @Override
    public <T> Optional<T> read(String key, Reader<T> reader) throws StorageException {
        try (FileChannel channel = FileChannel.open(resolve(key), StandardOpenOption.READ)) {
            return Optional.of(reader.read(channel, channel.size()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw failed("cannot read " + key, e);
        }
    }

    @Override
    public Optional<Download> open(String key) throws StorageException {
        Path path = resolve(key);
        try {
            return Files.isRegularFile(path)
                    ? Optional.of(new Download(Files.size(path), Optional.of(path), Optional.empty()))
                    : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw failed("cannot open " + key, e);
        }
    }

    @Override
    public void delete(String key) throws StorageException {
        try {
            Files.deleteIfExists(resolve(key));
        } catch (IOException e) {
            throw failed("cannot delete " + key, e);
        }
    }

    @Override
    public int deleteOlderThan(String prefix, Instant cutoff) throws StorageException {
        Path directory = resolve(prefix);
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)
                        && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        } catch (IOException e) {
            throw failed("cannot sweep " + prefix, e);
        }
        return deleted;
    }

    @Override
    public void check() throws StorageException {
        stagingExists = false; // asked again: a volume replaced or wiped must recover without a restart
        Path probe = stagingDir().resolve(".probe-" + PROCESS);
        try {
            Files.write(probe, new byte[] { 1 });
            Files.delete(probe);
        } catch (IOException e) {
            throw failed("the bucket " + root + " cannot be written", e);
        }
    }

    @Override
    public String describe() {
        return "directory " + root;
    }

    @Override
    public void close() {
        // nothing held open
    }

    /** The path of {@code key}; a key that would leave the bucket is refused. */
    public Path resolve(String key) {
        Path path = root.resolve(key).normalize();
        if (!path.startsWith(root)) {
            throw new IllegalArgumentException("key escapes the bucket: " + key);
        }
        return path;
    }

    private void folder(Path target) throws IOException {
        Path folder = target.getParent();
        if (!folder.equals(lastFolder) || !Files.isDirectory(folder)) {
            lastFolder = null;
            Files.createDirectories(folder);
            lastFolder = folder;
        }
    }

    /** A name of this process and thread's own: two workers redoing one task never share a partial file. */
    private static Path partial(Path target) {
        return target.resolveSibling(target.getFileName() + "." + PROCESS + "-" + Thread.currentThread().getId()
                + ".partial");
    }

    private static StorageException failed(String what, IOException e) {
        return new StorageException(what + ": " + e, e, false);
    }
}
