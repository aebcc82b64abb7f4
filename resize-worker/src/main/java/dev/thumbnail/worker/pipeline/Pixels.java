package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * The decoded pixels of a source image as stored (not yet oriented), read as rows of packed {@code 0xAARRGGBB} ints
 * (alpha is 0xFF, or ignored, when {@link #hasAlpha()} is false), top to bottom: the area average reads each row in
 * order and may read the row it just read once more, which is all a streaming decoder has to serve. Whoever decoded
 * them may hold native memory or a decoder until {@link #close()}.
 * <p>
 * {@code width x height} is what the decoder produced; {@code extentWidth x extentHeight} how many of those pixels
 * the original spans: a decoder that shrinks by 1/4 makes 214 rows of 853, the last holding a quarter row.
 */
public interface Pixels extends AutoCloseable {

    int width();

    int height();

    double extentWidth();

    double extentHeight();

    boolean hasAlpha();

    /** Row {@code y} into {@code line} (at least {@link #width()} ints). */
    void read(int y, int[] line) throws PipelineException;

    /** Releases what the pixels were read from. */
    @Override
    void close();

    /** All of it as an {@code INT_RGB} (or, with alpha, {@code INT_ARGB}) image, for images too small to average. */
    default BufferedImage toImage() throws PipelineException {
        BufferedImage image = new BufferedImage(width(), height(),
                hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int[] line = new int[width()];
        for (int y = 0; y < height(); y++) {
            read(y, line);
            System.arraycopy(line, 0, data, y * width(), width());
        }
        return image;
    }
}
