package dev.thumbnail.worker.pipeline;

import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The ICC profile of a JPEG, from its {@code APP2 ICC_PROFILE} segments (a profile may span several), for decoders
 * that return samples without applying it (libjpeg-turbo). Segments are 64 KB at most each, so this is bounded.
 */
final class JpegColourProfile {

    private static final byte[] SIGNATURE = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    private JpegColourProfile() {
    }

    /** @param jpeg the whole file, from position 0 to its limit (read with absolute gets) */
    static Optional<ICC_Profile> read(ByteBuffer jpeg) {
        ByteArrayOutputStream profile = new ByteArrayOutputStream();
        int end = jpeg.limit();
        int position = 2;
        while (position + 4 <= end && (jpeg.get(position) & 0xFF) == 0xFF) {
            int marker = jpeg.get(position + 1) & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int length = (jpeg.get(position + 2) & 0xFF) << 8 | jpeg.get(position + 3) & 0xFF;
            int data = position + 4;
            if (length < 2 || position + 2 + length > end) {
                break;
            }
            if (marker == 0xE2 && length - 2 > SIGNATURE.length + 2 && startsWithSignature(jpeg, data)) {
                int chunk = data + SIGNATURE.length + 2;
                byte[] bytes = new byte[position + 2 + length - chunk];
                jpeg.get(chunk, bytes);
                profile.writeBytes(bytes);
            }
            position += 2 + length;
        }
        if (profile.size() == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(ICC_Profile.getInstance(profile.toByteArray()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean startsWithSignature(ByteBuffer jpeg, int offset) {
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (jpeg.get(offset + i) != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }
}
