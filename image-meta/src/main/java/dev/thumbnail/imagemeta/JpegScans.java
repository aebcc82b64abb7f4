package dev.thumbnail.imagemeta;

import java.nio.ByteBuffer;

/**
 * Counts the scans of a progressive JPEG before it is decoded. Decoding work grows with pixels x scans, and a decoder
 * cannot be stopped while it takes in a scan, so a small file of thousands of scans holds a worker for minutes (the
 * "scan bomb" of libjpeg-turbo's security advisory; issue 12). Sequential JPEGs have one scan per component at most and
 * are not walked: only their marker segments up to the frame header are read.
 */
public final class JpegScans {

    private JpegScans() {
    }

    /**
     * @param file      the whole JPEG, from position 0 to its limit (not modified)
     * @param stopAbove counting stops once the count passes this
     * @return the number of start-of-scan markers, at most {@code stopAbove + 1}; 1 for a sequential JPEG; 0 when the
     *         data ends before a frame header (the header reader says why)
     */
    public static int count(ByteBuffer file, int stopAbove) {
        int end = file.limit();
        int at = 2;
        boolean progressive = false;
        int scans = 0;
        while (at + 3 < end) {
            if ((file.get(at) & 0xFF) != 0xFF) {
                // Stray bytes between segments: libjpeg skips them with a warning ("extraneous bytes before
                // marker") and goes on, so counting must too, or a byte of junk would hide every later scan.
                at++;
                continue;
            }
            int type = file.get(at + 1) & 0xFF;
            if (type == 0xFF) {
                at++;
                continue;
            }
            at += 2;
            if (type == 0xD8 || type == 0x01 || (type >= 0xD0 && type <= 0xD7)) {
                continue;
            }
            if (type == 0xD9) {
                return scans;
            }
            int length = ((file.get(at) & 0xFF) << 8) | (file.get(at + 1) & 0xFF);
            if (length < 2) {
                return scans;
            }
            if (type >= 0xC0 && type <= 0xCF && type != 0xC4 && type != 0xC8 && type != 0xCC) {
                // SOF2, SOF6, SOF10 and SOF14 are the progressive processes.
                progressive = (type & 0x03) == 0x02;
                if (!progressive) {
                    return 1;
                }
            }
            at += length;
            if (type == 0xDA) {
                if (++scans > stopAbove) {
                    return scans;
                }
                at = nextMarker(file, at, end);
            }
        }
        return scans;
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
