package dev.thumbnail.imagemeta;

import java.nio.ByteBuffer;

/**
 * Walks the marker segments of a whole JPEG in file order, as libjpeg reads them: fill bytes and stray bytes between
 * segments are passed over (libjpeg warns "extraneous bytes before marker" and goes on, so a byte of junk must not
 * hide what follows), standalone markers (SOI, RSTn, TEM) carry no segment, and after a start of scan (SOS) its
 * entropy-coded data is skipped to the next marker. The walk ends at EOI, at a segment whose length is impossible, at
 * the end of the data, or when the visitor says so. ITU T.81 annex B is the layout.
 * <p>
 * For the readers that have the whole file ({@link JpegScans}, the worker's ICC profile reader); {@link JpegHeaders}
 * reads the header incrementally from the first bytes of an upload instead.
 */
public final class JpegSegments {

    /** One segment: its marker (0xC0-0xFE), and where its data starts and how long it is (the length field excluded). */
    @FunctionalInterface
    public interface Visitor {
        /** @return whether to go on */
        boolean segment(int marker, int dataOffset, int dataLength);
    }

    private JpegSegments() {
    }

    /** @param file the whole JPEG, from position 0 to its limit (read with absolute gets, not modified) */
    public static void walk(ByteBuffer file, Visitor visitor) {
        int end = file.limit();
        int at = 2;
        while (at + 3 < end) {
            if ((file.get(at) & 0xFF) != 0xFF) {
                at++;
                continue;
            }
            int marker = file.get(at + 1) & 0xFF;
            if (marker == 0xFF) {
                at++;
                continue;
            }
            at += 2;
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue;
            }
            if (marker == 0xD9) {
                return;
            }
            int length = ((file.get(at) & 0xFF) << 8) | (file.get(at + 1) & 0xFF);
            if (length < 2 || at + length > end || !visitor.segment(marker, at + 2, length - 2)) {
                return;
            }
            at += length;
            if (marker == 0xDA) {
                at = nextMarker(file, at, end);
            }
        }
    }

    /** Whether {@code marker} starts a frame (SOF0-SOF15 but DHT, JPG and DAC, which share the range). */
    public static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    /** The offset of the first marker after entropy-coded data: 0xFF followed by neither 0x00 nor a restart. */
    private static int nextMarker(ByteBuffer file, int at, int end) {
        for (int i = at; i + 1 < end; i++) {
            if (file.get(i) == (byte) 0xFF) {
                int next = file.get(i + 1) & 0xFF;
                if (next != 0x00 && (next < 0xD0 || next > 0xD7)) {
                    return i;
                }
                i++;
            }
        }
        return end;
    }
}
