package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.util.Arrays;

/**
 * Averages {@code factor x factor} blocks of pixels: a box filter by a whole factor, which lets every source pixel
 * count (fine detail cannot alias) and costs one pass over the source. It reads the layouts the decoders produce
 * directly ({@code 3BYTE_BGR}, {@code 4BYTE_ABGR}, {@code INT_RGB}, {@code INT_ARGB}, all sRGB), so a large image is
 * never converted pixel by pixel before it is made small. Colour is averaged premultiplied by alpha, so transparent
 * pixels, whatever colour they hold, do not darken the edges of what is visible.
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
        int type = source.getType();
        boolean alpha = type == BufferedImage.TYPE_4BYTE_ABGR || type == BufferedImage.TYPE_INT_ARGB;
        int width = source.getWidth() / factor;
        int height = source.getHeight() / factor;
        BufferedImage target = new BufferedImage(width, height,
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] out = ((DataBufferInt) target.getRaster().getDataBuffer()).getData();
        Sums sums = new Sums(width);
        for (int y = 0; y < height; y++) {
            sums.clear();
            for (int dy = 0; dy < factor; dy++) {
                int row = y * factor + dy;
                switch (type) {
                    case BufferedImage.TYPE_3BYTE_BGR -> addBgrRow(source, row, factor, width, sums);
                    case BufferedImage.TYPE_4BYTE_ABGR -> addAbgrRow(source, row, factor, width, sums);
                    default -> addIntRow(source, row, factor, width, alpha, sums);
                }
            }
            sums.write(out, y * width, factor * factor, alpha);
        }
        return target;
    }

    private static void addBgrRow(BufferedImage source, int row, int factor, int width, Sums sums) {
        byte[] data = ((DataBufferByte) source.getRaster().getDataBuffer()).getData();
        int offset = row * source.getWidth() * 3;
        for (int x = 0; x < width; x++) {
            int p = offset + x * factor * 3;
            for (int dx = 0; dx < factor; dx++, p += 3) {
                sums.add(x, 255, data[p + 2] & 0xFF, data[p + 1] & 0xFF, data[p] & 0xFF);
            }
        }
    }

    private static void addAbgrRow(BufferedImage source, int row, int factor, int width, Sums sums) {
        byte[] data = ((DataBufferByte) source.getRaster().getDataBuffer()).getData();
        int offset = row * source.getWidth() * 4;
        for (int x = 0; x < width; x++) {
            int p = offset + x * factor * 4;
            for (int dx = 0; dx < factor; dx++, p += 4) {
                sums.add(x, data[p] & 0xFF, data[p + 3] & 0xFF, data[p + 2] & 0xFF, data[p + 1] & 0xFF);
            }
        }
    }

    private static void addIntRow(BufferedImage source, int row, int factor, int width, boolean alpha, Sums sums) {
        int[] data = ((DataBufferInt) source.getRaster().getDataBuffer()).getData();
        int offset = row * source.getWidth();
        for (int x = 0; x < width; x++) {
            int p = offset + x * factor;
            for (int dx = 0; dx < factor; dx++, p++) {
                int pixel = data[p];
                sums.add(x, alpha ? pixel >>> 24 : 255, (pixel >> 16) & 0xFF, (pixel >> 8) & 0xFF, pixel & 0xFF);
            }
        }
    }

    /** Per output column: alpha sum and alpha-weighted colour sums. */
    private static final class Sums {
        private final long[] a;
        private final long[] r;
        private final long[] g;
        private final long[] b;

        Sums(int width) {
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

        void write(int[] out, int offset, int area, boolean alpha) {
            for (int x = 0; x < a.length; x++) {
                long weight = a[x];
                if (weight == 0) {
                    out[offset + x] = 0;
                    continue;
                }
                int red = (int) ((r[x] + weight / 2) / weight);
                int green = (int) ((g[x] + weight / 2) / weight);
                int blue = (int) ((b[x] + weight / 2) / weight);
                int outAlpha = alpha ? (int) ((weight + area / 2) / area) : 0;
                out[offset + x] = outAlpha << 24 | red << 16 | green << 8 | blue;
            }
        }
    }
}
