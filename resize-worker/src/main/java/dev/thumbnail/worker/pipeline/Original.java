package dev.thumbnail.worker.pipeline;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;

import com.sun.jna.Pointer;

/**
 * An original image, read whole into memory once, which every step then reads from: the header reader, and the
 * decoder. Where libjpeg-turbo is in use it lies in native memory from a small pool ({@link NativeBuffers}), where
 * libjpeg-turbo reads it without a copy; otherwise on the heap. Closing hands the native memory back.
 */
public final class Original implements AutoCloseable {

    /** Where originals are read to: the native pool when libjpeg-turbo is loaded, else the heap. */
    public interface Memory {
        Original allocate(long size) throws IOException;
    }

    static final Memory HEAP = size -> new Original(ByteBuffer.allocate(checked(size)), null, null);

    static Memory pool(NativeBuffers buffers) {
        return size -> {
            NativeBuffers.Set set = buffers.take();
            try {
                return new Original(set.source(checked(size)), set, buffers);
            } catch (RuntimeException | Error e) {
                buffers.give(set);
                throw e;
            }
        };
    }

    private final ByteBuffer bytes;
    private final NativeBuffers.Set set;
    private final NativeBuffers pool;
    private boolean closed;

    private Original(ByteBuffer bytes, NativeBuffers.Set set, NativeBuffers pool) {
        this.bytes = bytes;
        this.set = set;
        this.pool = pool;
    }

    /** Reads {@code size} bytes from {@code channel} into memory from {@code memory}. */
    public static Original read(ReadableByteChannel channel, long size, Memory memory) throws IOException {
        Original original = memory.allocate(size);
        try {
            ByteBuffer target = original.bytes;
            while (target.hasRemaining() && channel.read(target) >= 0) {
                // until the buffer is full or the stream ends
            }
            if (target.hasRemaining()) {
                // A body cut short on the way (the store said how long it is): not the image's fault.
                throw new IOException("the original ended after " + target.position() + " of " + size + " bytes");
            }
            target.flip();
            return original;
        } catch (IOException | RuntimeException e) {
            original.close();
            throw e;
        }
    }

    /** Reads {@code file} into memory from {@code memory}. */
    public static Original read(Path file, Memory memory) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            return read(channel, channel.size(), memory);
        }
    }

    /** The file, from position 0 to its limit; read with absolute gets or a duplicate, never moved. */
    public ByteBuffer bytes() {
        return bytes.duplicate();
    }

    public long size() {
        return bytes.limit();
    }

    /** The native buffers the original lies in, for libjpeg-turbo: null when it is on the heap. */
    NativeBuffers.Set nativeSet() {
        return set;
    }

    /** The original's native address, for libjpeg-turbo; null when it is on the heap. */
    Pointer nativeAddress() {
        return set == null ? null : set.sourcePointer();
    }

    @Override
    public void close() {
        if (!closed && set != null) {
            closed = true;
            pool.give(set);
        }
    }

    private static int checked(long size) throws IOException {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw new IOException("an original of " + size + " bytes cannot be held in memory");
        }
        return (int) size;
    }
}
