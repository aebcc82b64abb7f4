package dev.thumbnail.worker.pipeline;

import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * The ICC profile of a JPEG, from its {@code APP2 ICC_PROFILE} segments (a profile may span several), for decoders
 * that return samples without applying it (libjpeg-turbo). Segments are 64 KB at most each, so this is bounded.
 */
final class JpegColourProfile {

    private static final byte[] SIGNATURE = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    private JpegColourProfile() {
    }

    static Optional<ICC_Profile> read(byte[] jpeg) {
        ByteArrayOutputStream profile = new ByteArrayOutputStream();
        int position = 2;
        while (position + 4 <= jpeg.length && (jpeg[position] & 0xFF) == 0xFF) {
            int marker = jpeg[position + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                break;
            }
            int length = (jpeg[position + 2] & 0xFF) << 8 | jpeg[position + 3] & 0xFF;
            int data = position + 4;
            if (length < 2 || position + 2 + length > jpeg.length) {
                break;
            }
            if (marker == 0xE2 && length - 2 > SIGNATURE.length + 2 && startsWithSignature(jpeg, data)) {
                int chunk = data + SIGNATURE.length + 2;
                profile.write(jpeg, chunk, position + 2 + length - chunk);
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

    private static boolean startsWithSignature(byte[] jpeg, int offset) {
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (jpeg[offset + i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }
}
