package dev.thumbnail.imagemeta;

import java.nio.ByteBuffer;

/**
 * Bounded reads of a file's bytes, held in a buffer from position 0 to its limit: either the whole file, or only its
 * first part. A read past the limit means the header goes on further than what is held ({@link Incomplete}: read more
 * and try again), or, when the whole file is held, that the file ends inside its header (corrupt).
 */
final class Bytes {

    private final ByteBuffer buffer;
    private final long fileSize;

    Bytes(ByteBuffer buffer, long fileSize) {
        this.buffer = buffer;
        this.fileSize = fileSize;
    }

    /** The file's size, which may be more than is held. */
    long fileSize() {
        return fileSize;
    }

    int u8(long at) throws Incomplete, CorruptImageException {
        check(at, 1);
        return buffer.get((int) at) & 0xFF;
    }

    int u16be(long at) throws Incomplete, CorruptImageException {
        return u8(at) << 8 | u8(at + 1);
    }

    int u16le(long at) throws Incomplete, CorruptImageException {
        return u8(at) | u8(at + 1) << 8;
    }

    int u24le(long at) throws Incomplete, CorruptImageException {
        return u16le(at) | u8(at + 2) << 16;
    }

    long u32be(long at) throws Incomplete, CorruptImageException {
        return (long) u16be(at) << 16 | u16be(at + 2);
    }

    long u32le(long at) throws Incomplete, CorruptImageException {
        return u16le(at) | (long) u16le(at + 2) << 16;
    }

    /** Whether the bytes at {@code at} are {@code expected} (false when the file is shorter). */
    boolean matches(long at, String expected) throws Incomplete, CorruptImageException {
        if (at + expected.length() > fileSize) {
            return false;
        }
        for (int i = 0; i < expected.length(); i++) {
            if (u8(at + i) != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A copy of {@code length} bytes from {@code at}, all of which must be held. */
    byte[] copy(long at, int length) throws Incomplete, CorruptImageException {
        check(at, length);
        byte[] copy = new byte[length];
        buffer.get((int) at, copy);
        return copy;
    }

    private void check(long at, long length) throws Incomplete, CorruptImageException {
        if (at < 0 || at + length > fileSize) {
            throw new CorruptImageException("the file ends inside its header");
        }
        if (at + length > buffer.limit()) {
            throw new Incomplete();
        }
    }

    /** The header goes past the bytes held: read more of the file. */
    static final class Incomplete extends Exception {
        Incomplete() {
            super(null, null, false, false);
        }
    }
}
