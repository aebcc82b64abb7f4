package dev.thumbnail.worker.pipeline;

import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Optional;

import dev.thumbnail.imagemeta.JpegSegments;

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
        JpegSegments.walk(jpeg, (marker, data, length) -> {
            if (marker == 0xDA) {
                return false; // the profile comes before the image data
            }
            if (marker == 0xE2 && length > SIGNATURE.length + 2 && startsWithSignature(jpeg, data)) {
                // After the signature: the chunk's number and the count of chunks, one byte each; then the bytes.
                int chunk = data + SIGNATURE.length + 2;
                byte[] bytes = new byte[data + length - chunk];
                jpeg.get(chunk, bytes);
                profile.writeBytes(bytes);
            }
            return true;
        });
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
