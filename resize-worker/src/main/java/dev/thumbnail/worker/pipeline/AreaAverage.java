package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.nio.IntBuffer;
import java.util.Arrays;

/**
 * Averages {@code factor x factor} blocks of pixels: a box filter by a whole factor, which lets every source pixel
 * count (fine detail cannot alias) and costs one pass over the source. It reads the layouts the decoders produce
 * directly ({@code 3BYTE_BGR}, {@code 4BYTE_ABGR}, {@code INT_RGB}, {@code INT_ARGB}, all sRGB, and libjpeg-turbo's
 * pixels in native memory), so a large image is never converted pixel by pixel before it is made small. Opaque images
 * take a plain average; with transparency, colour is averaged premultiplied by alpha, so transparent pixels, whatever
 * colour they hold, do not darken the edges of what is visible.
 */
final class AreaAverage {

    private AreaAverage() {
    }

    static boolean supports(BufferedImage image) {
        return switch (image.getType()) {
            case BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_RGB,
                    BufferedImage.TYPE_INT_ARGB -> image.getColorModel().getColorSpace().isCS_sRGB();
            default -> false;
        };
    }

    /** @return an {@code INT_RGB} or {@code INT_ARGB} image {@code factor} times smaller on each side */
    static BufferedImage reduce(BufferedImage source, int factor) {
        return switch (source.getType()) {
            case BufferedImage.TYPE_INT_RGB -> reduceRgb(IntBuffer.wrap(ints(source)), source.getWidth(),
                    source.getHeight(), factor);
            case BufferedImage.TYPE_3BYTE_BGR -> reduceBgr(bytes(source), source.getWidth(), source.getHeight(),
                    factor);
            default -> reduceWithAlpha(source, factor);
        };
    }

    /**
     * Opaque pixels as {@code 0x..RRGGBB} ints, row after row (the {@code INT_RGB} layout; the top byte is ignored),
     * averaged by {@code factor}; copied unchanged into an {@code INT_RGB} image when {@code factor} is below 2.
     */
    static BufferedImage reduceRgb(IntBuffer pixels, int width, int height, int factor) {
        if (factor < 2) {
            BufferedImage copy = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            pixels.get(0, ints(copy), 0, width * height);
            return copy;
        }
        int outWidth = width / factor;
        int outHeight = height / factor;
        BufferedImage target = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_RGB);
        int[] out = ints(target);
        ColumnSums sums = new ColumnSums(width);
        int[] line = new int[width];
        for (int y = 0; y < outHeight; y++) {
            for (int row = y * factor; row < (y + 1) * factor; row++) {
                // A bulk copy of the row, then plain array loops: the JIT turns them into vector instructions,
                // several times faster than reading a direct buffer pixel by pixel.
                pixels.get(row * width, line, 0, width);
                int[] r = sums.r;
                int[] g = sums.g;
                int[] b = sums.b;
                for (int i = 0; i < width; i++) {
                    int pixel = line[i];
                    r[i] += (pixel >> 16) & 0xFF;
                    g[i] += (pixel >> 8) & 0xFF;
                    b[i] += pixel & 0xFF;
                }
            }
            sums.writeAndClear(out, y * outWidth, outWidth, factor);
        }
        return target;
    }

    private static BufferedImage reduceBgr(byte[] data, int width, int height, int factor) {
        int outWidth = width / factor;
        int outHeight = height / factor;
        BufferedImage target = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_RGB);
        int[] out = ints(target);
        ColumnSums sums = new ColumnSums(width);
        for (int y = 0; y < outHeight; y++) {
            for (int row = y * factor; row < (y + 1) * factor; row++) {
                int p = row * width * 3;
                for (int i = 0; i < width; i++, p += 3) {
                    sums.b[i] += data[p] & 0xFF;
                    sums.g[i] += data[p + 1] & 0xFF;
                    sums.r[i] += data[p + 2] & 0xFF;
                }
            }
            sums.writeAndClear(out, y * outWidth, outWidth, factor);
        }
        return target;
    }

    private static BufferedImage reduceWithAlpha(BufferedImage source, int factor) {
        int type = source.getType();
        int width = source.getWidth() / factor;
        int height = source.getHeight() / factor;
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int[] out = ints(target);
        AlphaSums sums = new AlphaSums(width);
        for (int y = 0; y < height; y++) {
            sums.clear();
            for (int dy = 0; dy < factor; dy++) {
                int row = y * factor + dy;
                if (type == BufferedImage.TYPE_4BYTE_ABGR) {
                    addAbgrRow(source, row, factor, width, sums);
                } else {
                    addArgbRow(source, row, factor, width, sums);
                }
            }
            sums.write(out, y * width, factor * factor);
        }
        return target;
    }

    private static void addAbgrRow(BufferedImage source, int row, int factor, int width, AlphaSums sums) {
        byte[] data = bytes(source);
        int offset = row * source.getWidth() * 4;
        for (int x = 0; x < width; x++) {
            int p = offset + x * factor * 4;
            for (int dx = 0; dx < factor; dx++, p += 4) {
                sums.add(x, data[p] & 0xFF, data[p + 3] & 0xFF, data[p + 2] & 0xFF, data[p + 1] & 0xFF);
            }
        }
    }

    private static void addArgbRow(BufferedImage source, int row, int factor, int width, AlphaSums sums) {
        int[] data = ints(source);
        int offset = row * source.getWidth();
        for (int x = 0; x < width; x++) {
            int p = offset + x * factor;
            for (int dx = 0; dx < factor; dx++, p++) {
                int pixel = data[p];
                sums.add(x, pixel >>> 24, (pixel >> 16) & 0xFF, (pixel >> 8) & 0xFF, pixel & 0xFF);
            }
        }
    }

    private static int[] ints(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }

    private static byte[] bytes(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }

    /**
     * Per source column, the channel sums over one block's rows; {@link #writeAndClear} then adds up each block's
     * columns. Ints suffice: a block of 255s overflows only past a factor of 2900, far beyond any decoded image here
     * (a 12 MP image reduced to 100 pixels is a factor of 40).
     */
    private static final class ColumnSums {
        final int[] r;
        final int[] g;
        final int[] b;

        ColumnSums(int width) {
            r = new int[width];
            g = new int[width];
            b = new int[width];
        }

        void writeAndClear(int[] out, int offset, int outWidth, int factor) {
            int area = factor * factor;
            int half = area / 2;
            for (int x = 0, i = 0; x < outWidth; x++) {
                int red = 0;
                int green = 0;
                int blue = 0;
                for (int end = i + factor; i < end; i++) {
                    red += r[i];
                    green += g[i];
                    blue += b[i];
                }
                out[offset + x] = (red + half) / area << 16 | (green + half) / area << 8 | (blue + half) / area;
            }
            Arrays.fill(r, 0);
            Arrays.fill(g, 0);
            Arrays.fill(b, 0);
        }
    }

    /** Per output column: alpha sum and alpha-weighted colour sums. */
    private static final class AlphaSums {
        private final long[] a;
        private final long[] r;
        private final long[] g;
        private final long[] b;

        AlphaSums(int width) {
            a = new long[width];
            r = new long[width];
            g = new long[width];
            b = new long[width];
        }

        void clear() {
            Arrays.fill(a, 0);
            Arrays.fill(r, 0);
            Arrays.fill(g, 0);
            Arrays.fill(b, 0);
        }

        void add(int x, int alpha, int red, int green, int blue) {
            a[x] += alpha;
            r[x] += (long) red * alpha;
            g[x] += (long) green * alpha;
            b[x] += (long) blue * alpha;
        }

        void write(int[] out, int offset, int area) {
            for (int x = 0; x < a.length; x++) {
                long weight = a[x];
                if (weight == 0) {
                    out[offset + x] = 0;
                    continue;
                }
                int red = (int) ((r[x] + weight / 2) / weight);
                int green = (int) ((g[x] + weight / 2) / weight);
                int blue = (int) ((b[x] + weight / 2) / weight);
                int alpha = (int) ((weight + area / 2) / area);
                out[offset + x] = alpha << 24 | red << 16 | green << 8 | blue;
            }
        }
    }
}
