package dev.thumbnail.worker.pipeline;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Writes PNGs of every layout the format has, for tests: colour types 0, 2, 3, 4, 6 at each allowed bit depth,
 * Adam7-interlaced or not, each row with a different filter (all five in turn), the image data split into several
 * IDAT chunks. The JDK's writer makes only non-interlaced images with one adaptive filter choice.
 */
final class PngWriter {

    /** The samples of pixel (x, y), one per channel, at the image's bit depth. */
    interface Samples {
        int[] at(int x, int y);
    }

    private final int width;
    private final int height;
    private final int colourType;
    private final int bitDepth;
    private boolean interlaced;
    private int[] palette;
    private byte[] transparency;
    private byte[] profile;
    private int idatSize = 1000;

    PngWriter(int width, int height, int colourType, int bitDepth) {
        this.width = width;
        this.height = height;
        this.colourType = colourType;
        this.bitDepth = bitDepth;
    }

    PngWriter interlaced() {
        this.interlaced = true;
        return this;
    }

    /** Palette colours as 0xRRGGBB. */
    PngWriter palette(int... colours) {
        this.palette = colours;
        return this;
    }

    PngWriter transparency(byte... trns) {
        this.transparency = trns;
        return this;
    }

    /** An uncompressed ICC profile, written compressed into an iCCP chunk. */
    PngWriter profile(byte[] icc) {
        this.profile = icc;
        return this;
    }

    PngWriter idatSize(int bytes) {
        this.idatSize = bytes;
        return this;
    }

    int channels() {
        return switch (colourType) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
    }

    byte[] write(Samples samples) {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        int[][] passes = interlaced
                ? new int[][] { { 0, 0, 8, 8 }, { 4, 0, 8, 8 }, { 0, 4, 4, 8 }, { 2, 0, 4, 4 }, { 0, 2, 2, 4 },
                        { 1, 0, 2, 2 }, { 0, 1, 1, 2 } }
                : new int[][] { { 0, 0, 1, 1 } };
        int filterCounter = 0;
        for (int[] pass : passes) {
            int columns = (width - pass[0] + pass[2] - 1) / pass[2];
            int rows = (height - pass[1] + pass[3] - 1) / pass[3];
            if (columns <= 0 || rows <= 0) {
                continue;
            }
            int bpp = Math.max(1, channels() * bitDepth / 8);
            byte[] previous = new byte[rowBytes(columns)];
            for (int r = 0; r < rows; r++) {
                byte[] row = pack(samples, pass, columns, pass[1] + r * pass[3]);
                int filter = filterCounter++ % 5;
                raw.write(filter);
                raw.writeBytes(filter(filter, row, previous, bpp));
                previous = row;
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height);
        ihdr.put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) (interlaced ? 1 : 0));
        chunk(png, "IHDR", ihdr.array());
        if (profile != null) {
            ByteArrayOutputStream iccp = new ByteArrayOutputStream();
            iccp.writeBytes("test profile".getBytes(StandardCharsets.ISO_8859_1));
            iccp.write(0);
            iccp.write(0);
            iccp.writeBytes(deflate(profile));
            chunk(png, "iCCP", iccp.toByteArray());
        }
        if (palette != null) {
            byte[] plte = new byte[3 * palette.length];
            for (int i = 0; i < palette.length; i++) {
                plte[3 * i] = (byte) (palette[i] >> 16);
                plte[3 * i + 1] = (byte) (palette[i] >> 8);
                plte[3 * i + 2] = (byte) palette[i];
            }
            chunk(png, "PLTE", plte);
        }
        if (transparency != null) {
            chunk(png, "tRNS", transparency);
        }
        byte[] data = deflate(raw.toByteArray());
        for (int start = 0; start < data.length; start += idatSize) {
            byte[] part = new byte[Math.min(idatSize, data.length - start)];
            System.arraycopy(data, start, part, 0, part.length);
            chunk(png, "IDAT", part);
        }
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private int rowBytes(int columns) {
        return (columns * channels() * bitDepth + 7) / 8;
    }

    private byte[] pack(Samples samples, int[] pass, int columns, int y) {
        byte[] row = new byte[rowBytes(columns)];
        int bit = 0;
        for (int c = 0; c < columns; c++) {
            int[] values = samples.at(pass[0] + c * pass[2], y);
            for (int value : values) {
                if (bitDepth == 16) {
                    row[bit / 8] = (byte) (value >> 8);
                    row[bit / 8 + 1] = (byte) value;
                } else if (bitDepth == 8) {
                    row[bit / 8] = (byte) value;
                } else {
                    row[bit / 8] |= (byte) (value << (8 - bitDepth - bit % 8));
                }
                bit += bitDepth;
            }
        }
        return row;
    }

    private static byte[] filter(int filter, byte[] row, byte[] previous, int bpp) {
        byte[] out = new byte[row.length];
        for (int i = 0; i < row.length; i++) {
            int a = i >= bpp ? row[i - bpp] & 0xFF : 0;
            int b = previous[i] & 0xFF;
            int c = i >= bpp ? previous[i - bpp] & 0xFF : 0;
            int predictor = switch (filter) {
                case 1 -> a;
                case 2 -> b;
                case 3 -> (a + b) / 2;
                case 4 -> paeth(a, b, c);
                default -> 0;
            };
            out[i] = (byte) (row[i] - predictor);
        }
        return out;
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater();
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(name);
        png.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
