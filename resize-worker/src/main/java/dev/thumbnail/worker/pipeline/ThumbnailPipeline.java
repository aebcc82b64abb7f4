package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

import dev.thumbnail.contracts.ImageFormat;
import dev.thumbnail.contracts.ImageHeader;

/**
 * The job, step by step: read the header and check the limits, decode (shrinking on load), bring to sRGB, orient as
 * displayed, resize, encode. Pure computation: no messaging, no storage, so every step can be tested alone and the
 * whole on any file.
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

    public Result run(Path original, int maxWidth, int maxHeight, Deadline deadline) throws PipelineException {
        Decoded decoded = decoder.decode(original, maxWidth, maxHeight, deadline);
        ImageHeader header = decoded.header();
        BufferedImage pixels = Orientation.apply(Colours.toSrgb(decoded.pixels(), decoded.embeddedProfile()),
                header.orientation());
        deadline.check();
        Fit fit = Fit.inside(header.displayWidth(), header.displayHeight(), maxWidth, maxHeight);
        BufferedImage thumbnail = resizer.resize(pixels, fit);
        deadline.check();
        ImageFormat format = encoder.outputFormat(header.format(), decoded.hasAlpha());
        byte[] bytes = encoder.encode(thumbnail, format);
        return new Result(header.format(), header.displayWidth(), header.displayHeight(), format, fit.width(),
                fit.height(), bytes);
    }

    /** The source as displayed and the encoded thumbnail. */
    public record Result(ImageFormat sourceFormat, int sourceWidth, int sourceHeight, ImageFormat format, int width,
            int height, byte[] bytes) {
    }
}
