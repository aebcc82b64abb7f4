package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;

import org.imgscalr.Scalr;

/**
 * The resampling steps. {@link #reduce} averages whole blocks down to 1-2 times the target (on the decoded pixels,
 * before anything else touches the large image); {@link #resize} then takes imgscalr for the last, fractional step,
 * called synchronously on the worker thread.
 */
public class Resizer {

    /**
     * The area average goes down by the largest whole factor that keeps at least the target size, leaving imgscalr a
     * single step of less than 2x. Measured (docs/BENCHMARKS.md): the area average is the better anti-aliasing filter
     * of the two, and stopping earlier (2x) was both slower and softer: 26.4 against 26.5 dB on a 12 MP photo, 36.8
     * against 39.7 dB on a zone plate.
     */
    static final double HEADROOM = 1.0;

    /**
     * Shrinks {@code source} by the largest whole factor that keeps it at least {@link #HEADROOM} times
     * {@code width x height} (the thumbnail's size in the stored orientation); returns it as it is when no such factor
     * is 2 or more, or when its layout is not one {@link AreaAverage} reads.
     */
    public BufferedImage reduce(BufferedImage source, int width, int height) {
        int factor = factor(source.getWidth(), source.getHeight(), new Fit(width, height));
        if (factor < 2 || !AreaAverage.supports(source)) {
            return source;
        }
        return AreaAverage.reduce(source, factor);
    }

    /** The largest whole factor that keeps {@code width x height} at least {@link #HEADROOM} times {@code target}. */
    static int factor(int width, int height, Fit target) {
        return (int) (Math.min((double) width / target.width(), (double) height / target.height()) / HEADROOM);
    }

    /**
     * The exact size. After the area average the step left is under 2x, where one bilinear pass ({@code BALANCED}) is
     * as good as imgscalr's incremental {@code QUALITY} and costs half as much (measured: 0.35 against 0.6 ms at
     * 1280 px, 41.9 against 39.7 dB on the zone plate); larger steps, for layouts the average does not read, take
     * {@code QUALITY}.
     *
     * @param source an {@code INT_RGB} or {@code INT_ARGB} image
     */
    public BufferedImage resize(BufferedImage source, Fit fit) {
        if (source.getWidth() == fit.width() && source.getHeight() == fit.height()) {
            return source;
        }
        boolean shortStep = source.getWidth() < 2 * fit.width() && source.getHeight() < 2 * fit.height();
        return Scalr.resize(source, shortStep ? Scalr.Method.BALANCED : Scalr.Method.QUALITY, Scalr.Mode.FIT_EXACT,
                fit.width(), fit.height());
    }
}
