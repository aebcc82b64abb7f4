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
        private Memory source;
        private Memory pixels;

        /** The source buffer as a byte buffer of exactly {@code size} bytes at position 0, grown when needed. */
        ByteBuffer source(long size) {
            if (source != null && source.size() < size) {
                // Forgotten before the new allocation: should that fail, no freed buffer stays in the set.
                source.close();
                source = null;
            }
            if (source == null) {
                source = allocate(size);
            }
            return source.getByteBuffer(0, size);
        }

        Pointer sourcePointer() {
            return source;
        }

        /** The pixel buffer as a byte buffer of exactly {@code size} bytes at position 0, grown when needed. */
        ByteBuffer pixels(long size) {
            if (pixels != null && pixels.size() < size) {
                pixels.close();
                pixels = null;
            }
            if (pixels == null) {
                pixels = allocate(size);
            }
            return pixels.getByteBuffer(0, size);
        }

        Pointer pixelsPointer() {
            return pixels;
        }

        long capacity() {
            return (source == null ? 0 : source.size()) + (pixels == null ? 0 : pixels.size());
        }

        private static Memory allocate(long size) {
            return new Memory((size + GRANULE - 1) / GRANULE * GRANULE);
        }

        private void trim() {
            if (source != null && source.size() > MAX_KEPT_BYTES) {
                source.close();
                source = null;
            }
            if (pixels != null && pixels.size() > MAX_KEPT_BYTES) {
                pixels.close();
                pixels = null;
            }
        }

        private void free() {
            if (source != null) {
                source.close();
                source = null;
            }
            if (pixels != null) {
                pixels.close();
                pixels = null;
            }
        }
    }
}
