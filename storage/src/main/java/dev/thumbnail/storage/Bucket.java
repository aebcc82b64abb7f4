package dev.thumbnail.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The bucket: originals written by the API, thumbnails by the workers, under keys from
 * {@link dev.thumbnail.contracts.BlobKeys} (never from client input). One object per key, written whole (a reader never
 * sees half of one) and replaced whole (a redelivered task writes the same thumbnail again). Every failure is a
 * {@link StorageException} saying whether it is transient; a missing object is an empty result, not a failure.
 */
public interface Bucket extends AutoCloseable {

    /** Reads an object's bytes from a channel of {@code size} bytes. */
    @FunctionalInterface
    interface Reader<T> {
        T read(ReadableByteChannel channel, long size) throws IOException;
    }

    /** An object to send: a local file (sent without a copy) or a stream, of {@code size} bytes. */
    record Download(long size, Optional<Path> file, Optional<InputStream> stream) {
    }

    /**
     * A directory for uploads while they arrive, before {@link #put(String, Path)}: on the bucket's own file system
     * for {@code fs} (storing is then a rename), a local one for {@code s3}.
     */
    Path stagingDir() throws StorageException;

    /** Stores {@code file} under {@code key}, streamed, and deletes the file; returns the object's size in bytes. */
    long put(String key, Path file) throws StorageException;

    /** Stores {@code bytes} under {@code key}. */
    void put(String key, byte[] bytes, String contentType) throws StorageException;

    /** Reads the object with {@code reader}, or empty when there is none. */
    <T> Optional<T> read(String key, Reader<T> reader) throws StorageException;

    /** Opens the object for sending; the caller closes the stream. Empty when there is none. */
    Optional<Download> open(String key) throws StorageException;

    /** Deletes the object; nothing when there is none. */
    void delete(String key) throws StorageException;

    /**
     * Deletes the objects under {@code prefix} last written before {@code cutoff}; returns how many. Lists the prefix:
     * for a large S3 bucket a lifecycle rule does this better (README).
     */
    int deleteOlderThan(String prefix, Instant cutoff) throws StorageException;

    /** Whether the bucket can be written now (readiness): throws what stops it. */
    void check() throws StorageException;

    /**
     * This bucket with each call giving up after {@code timeout}, failing as transient (a worker bounds its calls by
     * the task's deadline). A view: the same bucket, closing it closes nothing. The directory bucket's calls are local
     * file operations, not bounded: it is itself.
     */
    default Bucket within(Duration timeout) {
        return this;
    }

    /** Where the bucket is, for logs. */
    String describe();

    @Override
    void close();
}
