package dev.thumbnail.testfixtures;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

/** Images and image containers made on the fly, so the tests own their fixtures. */
public final class TestImages {

    private TestImages() {
    }

    /** A gradient: red grows left to right, green top to bottom, blue constant. */
    public static byte[] encoded(int width, int height, String format) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | 0x40);
            }
        }
        return encode(image, format);
    }

    public static byte[] encode(BufferedImage image, String format) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalArgumentException("no writer for " + format + " and image type " + image.getType());
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A minimal EXIF TIFF structure (big-endian) whose IFD0 holds only the Orientation tag. */
    public static byte[] exifTiff(int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        tiff.putShort((short) 1);
        tiff.putShort((short) 274).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        tiff.putInt(0);
        return tiff.array();
    }

    /** {@code jpeg} with an APP1 Exif segment holding {@code tiff} right after the SOI marker. */
    public static byte[] jpegWithExif(byte[] jpeg, byte[] tiff) {
        byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + header.length + tiff.length;
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
        out.put(jpeg, 0, 2);
        out.put((byte) 0xFF).put((byte) 0xE1).putShort((short) length).put(header).put(tiff);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    /** {@code png} with one more chunk inserted right after IHDR, CRC included. */
    public static byte[] pngWithChunk(byte[] png, String type, byte[] data) {
        int afterIhdr = 8 + 4 + 4 + 13 + 4;
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        ByteBuffer out = ByteBuffer.allocate(png.length + 12 + data.length);
        out.put(png, 0, afterIhdr);
        out.putInt(data.length).put(typeBytes).put(data).putInt((int) crc.getValue());
        out.put(png, afterIhdr, png.length - afterIhdr);
        return out.array();
    }

    /**
     * The first bytes of a WebP coded losslessly (RIFF, then a VP8L chunk with its signature and size), as a
     * decompression bomb starts: 7000x7000 of one colour is 15 KB as a file, 196 MB decoded. Its image data is cut
     * short, which the header readers do not look at.
     */
    public static byte[] losslessWebpHeader(int width, int height) {
        ByteBuffer out = ByteBuffer.allocate(12 + 8 + 5 + 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(out.capacity() - 8)
                .put("WEBP".getBytes(StandardCharsets.US_ASCII));
        out.put("VP8L".getBytes(StandardCharsets.US_ASCII)).putInt(5 + 16).put((byte) 0x2F)
                .putInt((width - 1) | ((height - 1) << 14));
        return out.array();
    }

    /**
     * An extended WebP (VP8X) of {@code width x height} whose chunks after the VP8X one are {@code chunks}, each a
     * four-character id followed by 4 bytes of content, or {@code ANMF/id}: an animation frame whose 16-byte frame
     * header is followed by a chunk {@code id}. Enough for the header readers, not for a decoder.
     */
    public static byte[] extendedWebpHeader(int width, int height, int flags, String... chunks) {
        ByteBuffer out = ByteBuffer.allocate(12 + 18 + 36 * chunks.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(out.capacity() - 8)
                .put("WEBP".getBytes(StandardCharsets.US_ASCII));
        out.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).put((byte) flags).put(new byte[3]);
        out.put((byte) (width - 1)).put((byte) ((width - 1) >> 8)).put((byte) ((width - 1) >> 16));
        out.put((byte) (height - 1)).put((byte) ((height - 1) >> 8)).put((byte) ((height - 1) >> 16));
        for (String chunk : chunks) {
            if (chunk.startsWith("ANMF/")) {
                out.put("ANMF".getBytes(StandardCharsets.US_ASCII)).putInt(16 + 12).put(new byte[16])
                        .put(chunk.substring(5).getBytes(StandardCharsets.US_ASCII)).putInt(4).put(new byte[4]);
            } else {
                out.put(chunk.getBytes(StandardCharsets.US_ASCII)).putInt(4).put(new byte[4]);
            }
        }
        out.putInt(4, out.position() - 8);
        return Arrays.copyOf(out.array(), out.position());
    }
}
