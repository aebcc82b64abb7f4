package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Optional;

import dev.thumbnail.contracts.ImageFormat;
import dev.thumbnail.contracts.ImageHeader;

/**
 * The job, step by step: read the header and check the limits, decode (shrinking on load), average down to twice
 * the target, bring to sRGB, orient as displayed, resize to the exact size, encode. Pure computation: no
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

    /**
     * The worker's pipeline: libjpeg-turbo decodes and encodes JPEGs when enabled and present, ImageIO does the rest
     * (see {@link JpegCodecs}, which says in the log which is active).
     */
    public static ThumbnailPipeline create(long maxPixels, int jpegQuality, Encoder.OutputFormat output,
            boolean turboJpegEnabled, Optional<String> turboJpegLibrary) {
        Optional<TurboJpeg> turbo = JpegCodecs.turboJpeg(turboJpegEnabled, turboJpegLibrary);
        return new ThumbnailPipeline(new Decoder(maxPixels, turbo), new Resizer(),
                new Encoder(jpegQuality, output, turbo));
    }

    public Result run(Path original, int maxWidth, int maxHeight, Deadline deadline) throws PipelineException {
        long start = System.nanoTime();
        Decoded decoded = decoder.decode(original, maxWidth, maxHeight, deadline);
        long decodedAt = System.nanoTime();
        ImageHeader header = decoded.header();
        Fit fit = decoded.fit();
        // Make it small first, in the stored orientation; every later step then works on a few hundred pixels.
        Fit stored = fit.stored(header);
        BufferedImage reduced;
        try (Pixels pixels = decoded.pixels()) {
            reduced = resizer.reduce(pixels, stored);
        }
        BufferedImage pixels = Orientation.apply(Colours.toSrgb(reduced, decoded.embeddedProfile()),
                header.orientation());
        deadline.check();
        BufferedImage thumbnail = resizer.resize(pixels, fit);
        deadline.check();
        long resizedAt = System.nanoTime();
        ImageFormat format = encoder.outputFormat(header.format(), decoded.hasAlpha());
        byte[] bytes = encoder.encode(thumbnail, format);
        return new Result(header.format(), header.displayWidth(), header.displayHeight(), format, fit.width(),
                fit.height(), bytes,
                new Timings(decodedAt - start, resizedAt - decodedAt, System.nanoTime() - resizedAt));
    }

    /** The source as displayed, the encoded thumbnail, and how long each stage took. */
    public record Result(ImageFormat sourceFormat, int sourceWidth, int sourceHeight, ImageFormat format, int width,
            int height, byte[] bytes, Timings timings) {
    }

    /** Wall time of the stages: decode (with the header and limits), resize (colour and orientation included), encode. */
    public record Timings(long decodeNanos, long resizeNanos, long encodeNanos) {
    }
}
