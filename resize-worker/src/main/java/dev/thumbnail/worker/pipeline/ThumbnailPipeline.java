package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import dev.thumbnail.contracts.ImageFormat;

/**
 * The job, step by step: sniff and check limits, decode (shrinking on load), resize, encode. Pure computation: no
 * messaging, no storage, so every step can be tested alone and the whole on any file.
 */
public class ThumbnailPipeline {

    private final Decoder decoder;
    private final Resizer resizer;
    private final Encoder encoder;

    public ThumbnailPipeline(Decoder decoder, Resizer resizer, Encoder encoder) {
        this.decoder = decoder;
        this.resizer = resizer;
        this.encoder = encoder;
    }

    public Result run(Path original, int maxWidth, int maxHeight) throws PipelineException {
        Decoded decoded = decoder.decode(original, maxWidth, maxHeight);
        Fit fit = Fit.inside(decoded.width(), decoded.height(), maxWidth, maxHeight);
        BufferedImage thumbnail = resizer.resize(decoded.pixels(), fit);
        ImageFormat format = Encoder.outputFormat(decoded.format(), decoded.hasAlpha());
        byte[] bytes = encoder.encode(thumbnail, format);
        return new Result(decoded.format(), decoded.width(), decoded.height(), format, fit.width(), fit.height(),
                bytes);
    }

    /** The source as displayed and the encoded thumbnail. */
    public record Result(ImageFormat sourceFormat, int sourceWidth, int sourceHeight, ImageFormat format, int width,
            int height, byte[] bytes) {
    }
}
