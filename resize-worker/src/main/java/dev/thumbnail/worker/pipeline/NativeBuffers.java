package dev.thumbnail.worker.pipeline;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Reusable native memory for libjpeg-turbo: one {@link Set} (the compressed file, the pixels) per image being
 * processed, handed back afterwards, instead of allocating and freeing both per image. Bounded twice: at most
 * {@code maxIdle} sets are kept between images (the worker's pool has many more threads than images in flight, so
 * this is not one per thread), and a buffer grown past {@link #MAX_KEPT_BYTES} for a large image is freed rather than
 * kept.
 */
final class NativeBuffers {

    /**
     * A buffer larger than this is freed after use instead of pinning memory for the next image. Kept: a 12 MP phone
     * photo's file (3-6 MB) and its pixels at 1/8 (under 1 MB); an original over 8 MB is read into memory allocated
     * for that image alone.
     */
    static final long MAX_KEPT_BYTES = 8L << 20;
    /** Sizes are rounded up to this, so similar images reuse a buffer instead of growing it a little every time. */
    private static final long GRANULE = 256L << 10;

    private final BlockingQueue<Set> idle;

    NativeBuffers(int maxIdle) {
        this.idle = new ArrayBlockingQueue<>(maxIdle);
    }

    /** A set for one image: an idle one when there is one, else a new, empty one. */
    Set take() {
        Set set = idle.poll();
        return set != null ? set : new Set();
    }

    /** Hands a set back; it is kept for the next image, trimmed of oversized buffers, or freed when enough are idle. */
    void give(Set set) {
        set.trim();
        if (!idle.offer(set)) {
            set.free();
        }
    }

    int idle() {
        return idle.size();
    }

    /** Two growable native buffers. Not thread-safe: used by one image at a time. */
    static final class Set {
        private final Buffer source = new Buffer();
        private final Buffer pixels = new Buffer();

        /** The source buffer as a byte buffer of exactly {@code size} bytes at position 0, grown when needed. */
        ByteBuffer source(long size) {
            return source.view(size);
        }

        Pointer sourcePointer() {
            return source.memory;
        }

        /** The pixel buffer as a byte buffer of exactly {@code size} bytes at position 0, grown when needed. */
        ByteBuffer pixels(long size) {
            return pixels.view(size);
        }

        Pointer pixelsPointer() {
            return pixels.memory;
        }

        long capacity() {
            return source.capacity() + pixels.capacity();
        }

        private void trim() {
            source.freeIfOver(MAX_KEPT_BYTES);
            pixels.freeIfOver(MAX_KEPT_BYTES);
        }

        private void free() {
            source.free();
            pixels.free();
        }
    }

    /** One native buffer, allocated on first use and replaced by a larger one when an image needs more. */
    private static final class Buffer {
        private Memory memory;

        ByteBuffer view(long size) {
            if (capacity() < size) {
                // Freed and forgotten before the new allocation: should that fail, no freed buffer stays in the set.
                free();
                memory = new Memory((size + GRANULE - 1) / GRANULE * GRANULE);
            }
            return memory.getByteBuffer(0, size);
        }

        long capacity() {
            return memory == null ? 0 : memory.size();
        }

        void freeIfOver(long bytes) {
            if (capacity() > bytes) {
                free();
            }
        }

        void free() {
            if (memory != null) {
                memory.close();
                memory = null;
            }
        }
    }
}
