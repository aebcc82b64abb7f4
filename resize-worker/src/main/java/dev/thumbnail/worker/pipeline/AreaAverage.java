package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Arrays;

/**
 * Area averaging ("pixel mixing") to an exact size: every output pixel is the mean of the source area it covers,
 * fractions of pixels at its edges included. A box filter, so fine detail cannot alias, and the geometry is exact: a
 * first version averaged whole {@code n x n} blocks and dropped the remainder, which stretched the thumbnail by up to
 * half a pixel and cost 6 dB on photos with sharp edges (docs/BENCHMARKS.md).
 * <p>
 * It reads the decoded {@link Pixels} row by row, in order, as packed ARGB (from libjpeg-turbo's native memory, while
 * a PNG is being inflated, or from any layout an ImageIO reader produced), so a large image is never converted, nor
 * for a PNG even held, before it is made small. The source may cover less than its last pixel: a decoder scaling by
 * 1/4 turns 853 rows into 214, the last holding a quarter row; the extent of the {@link Pixels} says how far the image
 * really reaches.
 * Separable: the rows an output row covers are summed with their weights (plain array loops the JIT vectorises), then
 * the columns. Weights are 14-bit fixed point. With transparency, colour is averaged premultiplied by alpha, so
 * transparent pixels, whatever colour they hold, do not darken the edges of what is visible.
 */
final class AreaAverage {

    private static final int WEIGHT_BITS = 14;
    private static final int ONE = 1 << WEIGHT_BITS;
    /** Column sums (at most 255 x 2^14) keep 8 fractional bits, so that the pass across stays within an int. */
    private static final int DOWN_SHIFT = WEIGHT_BITS - 8;
    private static final int DOWN_HALF = 1 << (DOWN_SHIFT - 1);
    private static final int ACROSS_SHIFT = WEIGHT_BITS + 8;
    private static final int ACROSS_HALF = 1 << (ACROSS_SHIFT - 1);

    private AreaAverage() {
    }

    /**
     * @return an {@code INT_RGB} (or, with transparency, {@code INT_ARGB}) image of {@code width x height} averaged
     *         from the part of {@code source} that its extent covers
     */
    static BufferedImage resample(Pixels source, int width, int height) throws PipelineException {
        Axis across = new Axis(source.width(), Math.min(source.extentWidth(), source.width()), width);
        Axis down = new Axis(source.height(), Math.min(source.extentHeight(), source.height()), height);
        return source.hasAlpha() ? withAlpha(source, across, down) : opaque(source, across, down);
    }

    /**
     * The hot path (every JPEG): per output row, the source rows it covers are added up with their weights into
     * per-column sums, three multiply-adds per pixel over plain arrays (vectorised by the JIT); then each output pixel
     * adds up its columns. All in ints: the column sums are brought down to 8 fractional bits first.
     * <p>
     * Across, every output pixel takes the same number of taps ({@link Axis#stride}, the ones past its area weighing
     * zero) rather than its own count: an output covering 2 or 3 columns by turns made the loop's end a branch the CPU
     * mispredicted about every other pixel. Measured (263x148 to 200x112, the 699 px sample JPEG's case): the pass
     * across 0.31 ms with its own count, 0.25 with the fixed one, 0.18 with the three- and four-tap cases written
     * out (2026-12-03; 350x197 to 200x112 0.45 -> 0.38 ms, the interlaced sample PNG's 613x624 to 196x200 within a few
     * per cent). The result is the same to the bit.
     */
    private static BufferedImage opaque(Pixels rows, Axis across, Axis down) throws PipelineException {
        int width = across.first.length;
        int height = down.first.length;
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] out = ints(target);
        int used = across.used();
        int[] line = new int[rows.width()];
        // Room for the last output's zero-weighted taps past the columns read.
        int[] r = new int[used + across.stride];
        int[] g = new int[used + across.stride];
        int[] b = new int[used + across.stride];
        int[] first = across.first;
        int[] weights = across.weights;
        int stride = across.stride;
        for (int y = 0; y < height; y++) {
            Arrays.fill(r, 0);
            Arrays.fill(g, 0);
            Arrays.fill(b, 0);
            for (int k = 0; k < down.count[y]; k++) {
                rows.read(down.first[y] + k, line);
                int w = down.weights[y * down.stride + k];
                for (int i = 0; i < used; i++) {
                    int pixel = line[i];
                    r[i] += w * ((pixel >> 16) & 0xFF);
                    g[i] += w * ((pixel >> 8) & 0xFF);
                    b[i] += w * (pixel & 0xFF);
                }
            }
            for (int i = 0; i < used; i++) {
                r[i] = (r[i] + DOWN_HALF) >> DOWN_SHIFT;
                g[i] = (g[i] + DOWN_HALF) >> DOWN_SHIFT;
                b[i] = (b[i] + DOWN_HALF) >> DOWN_SHIFT;
            }
            int row = y * width;
            if (stride == 3) {
                for (int x = 0, o = 0; x < width; x++, o += 3) {
                    int i = first[x];
                    int w0 = weights[o];
                    int w1 = weights[o + 1];
                    int w2 = weights[o + 2];
                    out[row + x] = rgb(w0 * r[i] + w1 * r[i + 1] + w2 * r[i + 2],
                            w0 * g[i] + w1 * g[i + 1] + w2 * g[i + 2], w0 * b[i] + w1 * b[i + 1] + w2 * b[i + 2]);
                }
            } else if (stride == 4) {
                for (int x = 0, o = 0; x < width; x++, o += 4) {
                    int i = first[x];
                    int w0 = weights[o];
                    int w1 = weights[o + 1];
                    int w2 = weights[o + 2];
                    int w3 = weights[o + 3];
                    out[row + x] = rgb(w0 * r[i] + w1 * r[i + 1] + w2 * r[i + 2] + w3 * r[i + 3],
                            w0 * g[i] + w1 * g[i + 1] + w2 * g[i + 2] + w3 * g[i + 3],
                            w0 * b[i] + w1 * b[i + 1] + w2 * b[i + 2] + w3 * b[i + 3]);
                }
            } else {
                for (int x = 0; x < width; x++) {
                    int red = 0;
                    int green = 0;
                    int blue = 0;
                    for (int k = 0, i = first[x], o = x * stride; k < stride; k++, i++, o++) {
                        int w = weights[o];
                        red += w * r[i];
                        green += w * g[i];
                        blue += w * b[i];
                    }
                    out[row + x] = rgb(red, green, blue);
                }
            }
        }
        return target;
    }

    /** One opaque output pixel from its three weighted sums (8 + 14 fractional bits each). */
    private static int rgb(int red, int green, int blue) {
        return (red + ACROSS_HALF) >> ACROSS_SHIFT << 16 | (green + ACROSS_HALF) >> ACROSS_SHIFT << 8
                | (blue + ACROSS_HALF) >> ACROSS_SHIFT;
    }

    /**
     * Colour weighted by alpha (at most 255 x 255 x 2^14 per column sum, within an int), then longs across. Each output
     * over its own count of taps: the fixed count of {@link #opaque} measured no faster here (600x400 to 200x134).
     */
    private static BufferedImage withAlpha(Pixels rows, Axis across, Axis down) throws PipelineException {
        int width = across.first.length;
        int height = down.first.length;
        BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int[] out = ints(target);
        int used = across.used();
        int[] line = new int[rows.width()];
        int[] a = new int[used];
        int[] r = new int[used];
        int[] g = new int[used];
        int[] b = new int[used];
        for (int y = 0; y < height; y++) {
            Arrays.fill(a, 0);
            Arrays.fill(r, 0);
            Arrays.fill(g, 0);
            Arrays.fill(b, 0);
            for (int k = 0; k < down.count[y]; k++) {
                rows.read(down.first[y] + k, line);
                int w = down.weights[y * down.stride + k];
                for (int i = 0; i < used; i++) {
                    int pixel = line[i];
                    int weight = w * (pixel >>> 24);
                    a[i] += weight;
                    r[i] += ((pixel >> 16) & 0xFF) * weight;
                    g[i] += ((pixel >> 8) & 0xFF) * weight;
                    b[i] += (pixel & 0xFF) * weight;
                }
            }
            for (int x = 0; x < width; x++) {
                long alpha = 0;
                long red = 0;
                long green = 0;
                long blue = 0;
                for (int k = 0, i = across.first[x], o = x * across.stride; k < across.count[x]; k++, i++, o++) {
                    long w = across.weights[o];
                    alpha += w * a[i];
                    red += w * r[i];
                    green += w * g[i];
                    blue += w * b[i];
                }
                if (alpha == 0) {
                    out[y * width + x] = 0;
                    continue;
                }
                long half = alpha / 2;
                int outAlpha = (int) ((alpha + (1L << (2 * WEIGHT_BITS - 1))) >> (2 * WEIGHT_BITS));
                out[y * width + x] = outAlpha << 24 | (int) ((red + half) / alpha) << 16
                        | (int) ((green + half) / alpha) << 8 | (int) ((blue + half) / alpha);
            }
        }
        return target;
    }

    /**
     * For each output pixel along one axis, the source pixels it covers and their share of it, in fixed point summing
     * to exactly {@link #ONE}.
     */
    private static final class Axis {
        final int[] first;
        final int[] count;
        /** {@code count[o]} weights for output {@code o}, from {@code o * stride}. */
        final int[] weights;
        final int stride;

        Axis(int size, double extent, int outputs) {
            double step = extent / outputs;
            first = new int[outputs];
            count = new int[outputs];
            stride = (int) Math.ceil(step) + 1;
            weights = new int[outputs * stride];
            for (int o = 0; o < outputs; o++) {
                double low = o * step;
                double high = Math.min(extent, (o + 1) * step);
                int start = Math.min(size - 1, (int) Math.floor(low));
                int end = Math.min(size, Math.max(start + 1, (int) Math.ceil(high)));
                first[o] = start;
                count[o] = end - start;
                int total = 0;
                int largest = 0;
                for (int k = 0; k < count[o]; k++) {
                    int i = start + k;
                    double overlap = Math.min(high, i + 1) - Math.max(low, i);
                    int w = (int) Math.round(Math.max(0, overlap) / (high - low) * ONE);
                    weights[o * stride + k] = w;
                    total += w;
                    if (w > weights[o * stride + largest]) {
                        largest = k;
                    }
                }
                // Rounding leftovers go to the largest share, so every output pixel's weights sum to exactly one.
                weights[o * stride + largest] += ONE - total;
            }
        }

        /** Source pixels read at all: the rest (past the extent) is never summed. */
        int used() {
            int last = first.length - 1;
            return first[last] + count[last];
        }
    }

    private static int[] ints(BufferedImage image) {
        return ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
    }
}
