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
        int[] scans = { 0 };
        boolean[] sequential = { false };
        JpegSegments.walk(file, (marker, offset, length) -> {
            if (JpegSegments.isStartOfFrame(marker) && (marker & 0x03) != 0x02) {
                // SOF2, SOF6, SOF10 and SOF14 are the progressive processes; the others have one scan per component
                // at most, and are not walked further.
                sequential[0] = true;
                return false;
            }
            return marker != 0xDA || ++scans[0] <= stopAbove;
        });
        return sequential[0] ? 1 : scans[0];
    }
}
