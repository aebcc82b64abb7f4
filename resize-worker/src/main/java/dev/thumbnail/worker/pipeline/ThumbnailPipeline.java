package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.imagemeta.CorruptImageException;
import dev.thumbnail.imagemeta.ImageFormat;
import dev.thumbnail.imagemeta.ImageHeader;
import dev.thumbnail.imagemeta.ImageHeaders;
import dev.thumbnail.imagemeta.ImageLimits;
import dev.thumbnail.imagemeta.JpegScans;
import dev.thumbnail.imagemeta.UnsupportedImageException;

/**
 * The job, step by step, on an original already in memory: read the header and check the limits, decode (shrinking
 * on load), average down to twice the target, bring to sRGB, orient as displayed, resize to the exact size, encode.
 * What a step learns travels forward in its result ({@link Decoded}); no step calls a later one. Pure computation: no
 * messaging, no storage, so every step can be tested alone and the whole on any file.
 */
public class ThumbnailPipeline {

    /**
     * What the worker's heap holds besides the images in flight (its live data stays near 30 MB under load,
     * docs/BENCHMARKS.md), and what an image decoded whole takes per pixel at most (a lossy WebP with an alpha plane,
     * measured with LargeImageProbe; a lossless one takes 4 bytes).
     */
    static final long HEAP_KEPT_BYTES = 48L * 1024 * 1024;
    static final int DECODED_WHOLE_BYTES_PER_PIXEL = 5;

    private final long maxPixels;
    private final long maxDecodedWholePixels;
    private final Decoder decoder;
    private final Resizer resizer;
    private final Encoder encoder;

    public ThumbnailPipeline(long maxPixels, long maxDecodedWholePixels, Decoder decoder, Resizer resizer,
            Encoder encoder) {
        this.maxPixels = maxPixels;
        this.maxDecodedWholePixels = maxDecodedWholePixels;
        this.decoder = decoder;
        this.resizer = resizer;
        this.encoder = encoder;
    }

    /**
     * The worker's pipeline: libjpeg-turbo decodes and encodes JPEGs when enabled and present, ImageIO does the rest
     * (see {@link JpegCodecs}, which says in the log which is active).
     */
    public static ThumbnailPipeline create(PipelineSettings settings) {
        Optional<TurboJpeg> turbo = JpegCodecs.turboJpeg(settings.turboJpegEnabled(), settings.turboJpegLibrary());
        return new ThumbnailPipeline(settings.maxPixels(), settings.maxDecodedWholePixels(), new Decoder(turbo),
                new Resizer(),
                new Encoder(settings.jpegQuality(), settings.outputFormat(), turbo));
    }

    /** Where originals are read to before {@link #run(Original, int, int, Deadline)}. */
    public Original.Memory originals() {
        return decoder.originals();
    }

    /** Reads {@code file} into memory and makes its thumbnail. */
    public Result run(Path file, int maxWidth, int maxHeight, Deadline deadline) throws PipelineException {
        Original original;
        try {
            original = Original.read(file, originals());
        } catch (IOException e) {
            throw new PipelineException(ErrorCodes.STORAGE_ERROR, e);
        }
        try (original) {
            return run(original, maxWidth, maxHeight, deadline);
        }
    }

    public Result run(Original original, int maxWidth, int maxHeight, Deadline deadline) throws PipelineException {
        return run(original, maxWidth, maxHeight, deadline, BeforeDecode.NONE);
    }

    /** {@link #run(Original, int, int, Deadline)}, with {@code beforeDecode} asked between header and pixels. */
    public Result run(Original original, int maxWidth, int maxHeight, Deadline deadline, BeforeDecode beforeDecode)
            throws PipelineException {
        long start = System.nanoTime();
        ImageHeader header = inspect(original, maxPixels, maxDecodedWholePixels);
        beforeDecode.check(header);
        Fit fit = Fit.displayed(header, maxWidth, maxHeight);
        Decoded decoded = decoder.decode(original, header, fit, deadline);
        long decodedAt = System.nanoTime();
        // Make it small first, in the stored orientation; every later step then works on a few hundred pixels.
        BufferedImage reduced;
        try (Pixels pixels = decoded.pixels()) {
            reduced = resizer.reduce(pixels, fit.stored(header));
        }
        deadline.check();
        BufferedImage pixels = Orientation.apply(Colours.toSrgb(reduced, decoded.embeddedProfile()),
                header.orientation());
        BufferedImage thumbnail = resizer.resize(pixels, fit);
        deadline.check();
        long resizedAt = System.nanoTime();
        ImageFormat format = encoder.outputFormat(header.format(), decoded.hasAlpha());
        byte[] bytes = encoder.encode(thumbnail, format);
        return new Result(header.format(), header.displayWidth(), header.displayHeight(), format, fit.width(),
                fit.height(), bytes,
                new Timings(decodedAt - start, resizedAt - decodedAt, System.nanoTime() - resizedAt));
    }

    /**
     * The most pixels of an image decoded whole that this worker takes: {@code configured}, or less when its heap
     * cannot hold {@code concurrency} such images at once beside its own data. An image over what the heap holds would
     * end the JVM (-XX:+ExitOnOutOfMemoryError) before its task could fail, and the request, never committed, would
     * end every worker that takes it next.
     *
     * @param maxHeapBytes the heap's limit ({@code Runtime.maxMemory()})
     */
    public static long decodedWholeLimit(long configured, long maxHeapBytes, int concurrency) {
        long room = Math.max(0, maxHeapBytes - HEAP_KEPT_BYTES) / ((long) DECODED_WHOLE_BYTES_PER_PIXEL
                * Math.max(1, concurrency));
        return Math.min(configured, room);
    }

    /**
     * The header, from the original's own bytes, checked against the pixel limits and, for a progressive JPEG, the scan
     * limit before any pixel is decoded.
     */
    static ImageHeader inspect(Original original, long maxPixels, long maxDecodedWholePixels)
            throws PipelineException {
        try {
            ImageHeader header = ImageHeaders.read(original.bytes());
            ImageLimits.check(header, maxPixels, maxDecodedWholePixels);
            if (header.format() == ImageFormat.JPEG) {
                ImageLimits.checkScans(JpegScans.count(original.bytes(), ImageLimits.MAX_SCANS));
            }
            return header;
        } catch (UnsupportedImageException e) {
            throw new PipelineException(ErrorCodes.UNSUPPORTED_FORMAT, e);
        } catch (CorruptImageException e) {
            throw new PipelineException(ErrorCodes.CORRUPT_IMAGE, e);
        } catch (ImageLimits.TooLargeException e) {
            throw new PipelineException(ErrorCodes.IMAGE_TOO_LARGE, e.getMessage(), e);
        }
    }

    /** The source as displayed, the encoded thumbnail, and how long each stage took. */
    public record Result(ImageFormat sourceFormat, int sourceWidth, int sourceHeight, ImageFormat format, int width,
            int height, byte[] bytes, Timings timings) {
    }

    /** Wall time of the stages: decode (with the header and limits), resize (colour and orientation included), encode. */
    public record Timings(long decodeNanos, long resizeNanos, long encodeNanos) {
    }
}
