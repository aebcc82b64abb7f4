package dev.thumbnail.worker.pipeline;

import java.nio.ByteBuffer;

import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An {@link javax.imageio.stream.ImageInputStream} over an original already in memory, so that ImageIO's readers read
 * it where it lies (the JDK's own memory-cache stream would copy it again, block by block).
 */
final class ByteBufferImageInputStream extends ImageInputStreamImpl {

    private final ByteBuffer bytes;

    /** @param bytes the file, from position 0 to its limit; not moved */
    ByteBufferImageInputStream(ByteBuffer bytes) {
        this.bytes = bytes;
    }

    @Override
    public int read() {
        bitOffset = 0;
        if (streamPos >= bytes.limit()) {
            return -1;
        }
        return bytes.get((int) streamPos++) & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        bitOffset = 0;
        if (streamPos >= bytes.limit()) {
            return -1;
        }
        int n = (int) Math.min(length, bytes.limit() - streamPos);
        bytes.get((int) streamPos, buffer, offset, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return bytes.limit();
    }
}
