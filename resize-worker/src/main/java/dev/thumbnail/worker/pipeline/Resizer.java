package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;

import org.imgscalr.Scalr;

/**
 * The resampling steps. {@link #reduce} averages the decoded pixels down to exactly twice the thumbnail (before
 * anything else touches the large image); {@link #resize} then takes imgscalr for the last step, called synchronously
 * on the worker thread.
 */
public class Resizer {

    /**
     * The area average stops at this many times the thumbnail and imgscalr halves the rest. Measured
     * (docs/BENCHMARKS.md, PSNR against a Lanczos resize of the full image, thumbnails written losslessly): averaging
     * to twice the size and halving with imgscalr's bilinear step gave 38.3 / 39.5 / 37.2 / 41.2 dB on the 1280 px
     * photo, the 12 MP photo, the zone plate and the 3000 px PNG; averaging straight to the size 37.4 / 41.5 / 38.0 /
     * 41.1, within a dB of it either way. Both are exact in geometry, which mattered more than the filter: averaging
     * whole blocks and dropping the remainder had measured 28.8 dB on the first.
     */
    static final int HEADROOM = 2;

    /**
     * Averages {@code source} down to exactly {@link #HEADROOM} times {@code stored} (the thumbnail's size in the
     * stored orientation) when it covers at least that; returns it whole otherwise.
     */
    public BufferedImage reduce(Pixels source, Fit stored) throws PipelineException {
        Fit target = reduction(source.extentWidth(), source.extentHeight(), stored);
        if (target == null) {
            return source.toImage();
        }
        return AreaAverage.resample(source, target.width(), target.height());
    }

    /** The size to average down to, or null when the source is not at least {@link #HEADROOM} times the target. */
    static Fit reduction(double extentWidth, double extentHeight, Fit stored) {
        int width = HEADROOM * stored.width();
        int height = HEADROOM * stored.height();
        return extentWidth >= width && extentHeight >= height ? new Fit(width, height) : null;
    }

    /**
     * The exact size. After the area average the step left is exactly 2x, where imgscalr's bilinear pass
     * ({@code BALANCED}) averages each 2x2 block, or under 2x for a source that was smaller than twice the thumbnail;
     * larger steps, for layouts the average does not read, take imgscalr's incremental {@code QUALITY}.
     *
     * @param source an {@code INT_RGB} or {@code INT_ARGB} image
     */
    public BufferedImage resize(BufferedImage source, Fit fit) {
        if (source.getWidth() == fit.width() && source.getHeight() == fit.height()) {
            return source;
        }
        boolean shortStep = source.getWidth() <= 2 * fit.width() && source.getHeight() <= 2 * fit.height();
        return Scalr.resize(source, shortStep ? Scalr.Method.BALANCED : Scalr.Method.QUALITY, Scalr.Mode.FIT_EXACT,
                fit.width(), fit.height());
    }
}
