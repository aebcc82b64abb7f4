package dev.thumbnail.worker.pipeline;

import java.io.ByteArrayOutputStream;

/**
 * Writes a valid greyscale progressive JPEG (SOF2) of a flat image with as many scans as the process allows: one DC
 * scan, then each of the 63 AC coefficients alone, sent first at a point transform of {@code refinements} and refined
 * one bit at a time down to 0 (ITU T.81, G.1.1). With all AC coefficients zero every AC scan is a few end-of-band runs,
 * so 883 scans over 16 megapixels fit in about 60 KB: the shape of the "scan bomb" inputs reported against image
 * services, which take a decoder minutes. jpegtran's {@code -scans} cannot make one: it stops at 100 scans.
 */
final class ProgressiveJpegWriter {

    private ProgressiveJpegWriter() {
    }

    /**
     * @param width       multiple of 8, at most 65535
     * @param height      multiple of 8, at most 65535
     * @param precision   8 or 12 bits per sample
     * @param refinements 0 to 13: the scans per AC coefficient are {@code 1 + refinements}
     * @return the file: {@code 1 + 63 * (1 + refinements)} scans
     */
    static byte[] write(int width, int height, int precision, int refinements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        marker(out, 0xD8);
        // DQT: table 0, all ones (8-bit entries).
        segment(out, 0xDB, concat(new byte[] { 0 }, filled(64, 1)));
        // SOF2: one component, id 1, no subsampling, quantisation table 0.
        segment(out, 0xC2, new byte[] { (byte) precision, (byte) (height >> 8), (byte) height, (byte) (width >> 8),
                (byte) width, 1, 1, 0x11, 0 });
        // DHT: DC table 0 with one code, "0" for category 0 (a difference of zero); AC table 0 with the end-of-band
        // runs EOB0..EOB14, 4-bit codes 0000..1110.
        byte[] dc = new byte[1 + 16 + 1];
        dc[0] = 0x00;
        dc[1] = 1;
        dc[17] = 0;
        segment(out, 0xC4, dc);
        byte[] ac = new byte[1 + 16 + 15];
        ac[0] = 0x10;
        ac[4] = 15;
        for (int n = 0; n < 15; n++) {
            ac[17 + n] = (byte) (n << 4);
        }
        segment(out, 0xC4, ac);

        int blocks = (width / 8) * (height / 8);
        // The DC scan: every block's difference is zero.
        sos(out, 0, 0, 0, 0);
        Bits bits = new Bits(out);
        for (int i = 0; i < blocks; i++) {
            bits.put(0, 1);
        }
        bits.flush();
        for (int k = 1; k <= 63; k++) {
            for (int al = refinements; al >= 0; al--) {
                int ah = al == refinements ? 0 : al + 1;
                sos(out, k, k, ah, al);
                bits = new Bits(out);
                for (int left = blocks; left > 0;) {
                    int run = Math.min(left, 32767);
                    int n = 31 - Integer.numberOfLeadingZeros(run);
                    bits.put(n, 4);
                    bits.put(run - (1 << n), n);
                    left -= run;
                }
                bits.flush();
            }
        }
        marker(out, 0xD9);
        return out.toByteArray();
    }

    private static void sos(ByteArrayOutputStream out, int ss, int se, int ah, int al) {
        segment(out, 0xDA, new byte[] { 1, 1, 0x00, (byte) ss, (byte) se, (byte) ((ah << 4) | al) });
    }

    private static void marker(ByteArrayOutputStream out, int marker) {
        out.write(0xFF);
        out.write(marker);
    }

    private static void segment(ByteArrayOutputStream out, int marker, byte[] body) {
        marker(out, marker);
        out.write((body.length + 2) >> 8);
        out.write(body.length + 2);
        out.writeBytes(body);
    }

    private static byte[] filled(int length, int value) {
        byte[] bytes = new byte[length];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Entropy-coded bits, most significant first, with 0xFF stuffed and the last byte padded with ones. */
    private static final class Bits {
        private final ByteArrayOutputStream out;
        private int buffer;
        private int count;

        Bits(ByteArrayOutputStream out) {
            this.out = out;
        }

        void put(int value, int length) {
            for (int i = length - 1; i >= 0; i--) {
                buffer = (buffer << 1) | ((value >> i) & 1);
                if (++count == 8) {
                    emit();
                }
            }
        }

        void flush() {
            while (count != 0) {
                buffer = (buffer << 1) | 1;
                if (++count == 8) {
                    emit();
                }
            }
        }

        private void emit() {
            out.write(buffer & 0xFF);
            if ((buffer & 0xFF) == 0xFF) {
                out.write(0);
            }
            buffer = 0;
            count = 0;
        }
    }
}
