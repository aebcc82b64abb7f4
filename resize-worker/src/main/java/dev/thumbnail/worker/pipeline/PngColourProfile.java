package dev.thumbnail.worker.pipeline;

import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The ICC profile of a PNG's {@code iCCP} chunk. The JDK's PNG reader only applies it when it also parses every other
 * metadata chunk (and inflates them whole), so the worker reads this one chunk itself, inflating at most
 * {@link #MAX_PROFILE_BYTES}; a larger "profile" is a bomb and is ignored.
 */
final class PngColourProfile {

    static final int MAX_PROFILE_BYTES = 4 * 1024 * 1024;
    private static final int MAX_COMPRESSED_BYTES = 1024 * 1024;
    private static final int IDAT = 0x49444154;
    private static final int ICCP = 0x69434350;

    private PngColourProfile() {
    }

    static Optional<ICC_Profile> read(Path png) {
        try (RandomAccessFile in = new RandomAccessFile(png.toFile(), "r")) {
            in.seek(8);
            while (in.getFilePointer() + 8 <= in.length()) {
                long length = in.readInt() & 0xFFFFFFFFL;
                int type = in.readInt();
                if (type == IDAT) {
                    return Optional.empty();
                }
                if (type == ICCP && length <= MAX_COMPRESSED_BYTES) {
                    byte[] chunk = new byte[(int) length];
                    in.readFully(chunk);
                    return profile(chunk);
                }
                in.seek(in.getFilePointer() + length + 4);
            }
        } catch (IOException | RuntimeException e) {
            // An unreadable profile chunk means "no profile": the pixels are still shown, as sRGB.
        }
        return Optional.empty();
    }

    private static Optional<ICC_Profile> profile(byte[] chunk) {
        int nul = 0;
        while (nul < chunk.length && chunk[nul] != 0) {
            nul++;
        }
        if (nul + 2 > chunk.length || chunk[nul + 1] != 0) {
            return Optional.empty();
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(chunk, nul + 2, chunk.length - nul - 2);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return Optional.empty();
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_PROFILE_BYTES) {
                    return Optional.empty();
                }
            }
            return Optional.of(ICC_Profile.getInstance(out.toByteArray()));
        } catch (DataFormatException | IllegalArgumentException e) {
            return Optional.empty();
        } finally {
            inflater.end();
        }
    }
}
