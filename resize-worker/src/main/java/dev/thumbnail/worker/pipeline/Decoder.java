package dev.thumbnail.worker.pipeline;

import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.contracts.ImageFormat;
import dev.thumbnail.contracts.ImageHeader;
import dev.thumbnail.contracts.ImageHeaders;

/**
 * Reads the header, refuses images over the pixel limit before a single pixel is decoded, then decodes the first
 * frame, shrinking on load when the image is much larger than needed. Metadata is not parsed by the decoder (the
 * orientation comes from the bounded header reader), so a compressed text or profile chunk cannot inflate in memory.
 */
public class Decoder {

    /**
     * ImageIO's subsampling picks every n-th pixel, which aliases fine detail; so it only goes down to this many times
     * the thumbnail, and the area average does the rest with every remaining pixel.
     */
    static final int OVERSAMPLING = 8;
    /** Whatever the target, images are subsampled to at most this many pixels while decoding, to bound memory. */
    static final long MAX_DECODED_PIXELS = 12_000_000;

    static {
        // The TwelveMonkeys plugins register through the service loader of the application's class loader.
        ImageIO.scanForPlugins();
        // Decoding never needs ImageIO's disk cache; without it no temp files are left behind by a killed worker.
        ImageIO.setUseCache(false);
    }

    private final long maxPixels;
    private final Optional<TurboJpeg> turboJpeg;

    /** A decoder with the pure-Java JPEG path only. */
    public Decoder(long maxPixels) {
        this(maxPixels, Optional.empty());
    }

    Decoder(long maxPixels, Optional<TurboJpeg> turboJpeg) {
        this.maxPixels = maxPixels;
        this.turboJpeg = turboJpeg;
    }


    public Decoded decode(Path file, int targetWidth, int targetHeight, Deadline deadline) throws PipelineException {
        ImageHeader header = header(file);
        if (header.pixels() > maxPixels) {
            throw new PipelineException(ErrorCodes.IMAGE_TOO_LARGE, "The image is " + header.width() + "x"
                    + header.height() + (header.frames() > 1 ? " pixels in " + header.frames() + " frames" : " pixels")
                    + "; the limit is " + maxPixels + " pixels.");
        }
        Fit fit = Fit.displayed(header, targetWidth, targetHeight);
        Fit stored = fit.stored(header);
        if (header.format() == ImageFormat.JPEG && turboJpeg.isPresent()) {
            Optional<TurboJpeg.Decoding> decoded = decodeWithTurboJpeg(turboJpeg.get(), file, stored);
            if (decoded.isPresent()) {
                TurboJpeg.Decoding pixels = decoded.get();
                checkOrRelease(deadline, pixels);
                return new Decoded(header, fit, pixels, pixels.profile());
            }
        }
        ICC_Profile pngProfile = null;
        if (header.format() == ImageFormat.PNG) {
            PngDecoder.Image png = PngDecoder.open(ByteBuffer.wrap(readAll(file)));
            if (PngDecoder.decodable(png)) {
                Pixels pixels = PngDecoder.pixels(png, deadline);
                return new Decoded(header, fit, pixels, png.profile());
            }
            // Interlaced and very large: ImageIO subsamples while it decodes, which bounds the memory.
            pngProfile = png.profile();
            png.close();
        }
        return decodeWithImageIo(file, header, fit, deadline, pngProfile);
    }

    private static void checkOrRelease(Deadline deadline, Pixels pixels) throws PipelineException {
        try {
            deadline.check();
        } catch (PipelineException e) {
            pixels.close();
            throw e;
        }
    }

    private static byte[] readAll(Path file) throws PipelineException {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PipelineException(ErrorCodes.STORAGE_ERROR, "The original image could not be read.", e);
        }
    }

    /**
     * Decodes at the smallest M/8 scale that keeps at least twice the thumbnail's size, so the resampler still has
     * real pixels to filter. Empty for CMYK/YCCK, which libjpeg-turbo cannot turn into RGB.
     */
    private static Optional<TurboJpeg.Decoding> decodeWithTurboJpeg(TurboJpeg turbo, Path file, Fit stored)
            throws PipelineException {
        try {
            return turbo.decode(file, stored);
        } catch (IOException e) {
            throw new PipelineException(ErrorCodes.STORAGE_ERROR, "The original image could not be read.", e);
        }
    }

    private Decoded decodeWithImageIo(Path file, ImageHeader header, Fit fit, Deadline deadline,
            ICC_Profile pngProfile) throws PipelineException {
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            if (input == null) {
                throw new PipelineException(ErrorCodes.STORAGE_ERROR, "The original image could not be opened.");
            }
            ImageReader reader = readerFor(header.format());
            TruncationListener truncation = new TruncationListener();
            reader.addIIOReadWarningListener(truncation);
            try (Deadline.Cancellable abort = deadline.onExpiry(reader::abort)) {
                reader.setInput(input, true, true);
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsampling(header.width(), header.height(), fit.stored(header));
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                BufferedImage image = reader.read(0, param);
                deadline.check();
                if (truncation.truncated) {
                    throw new PipelineException(ErrorCodes.CORRUPT_IMAGE,
                            "The " + header.format() + " image data is truncated or corrupt.");
                }
                ImagePixels pixels = ImagePixels.of(image, extent(header.width(), step, image.getWidth()),
                        extent(header.height(), step, image.getHeight()));
                return new Decoded(header, fit, pixels, pngProfile != null ? pngProfile : pixels.profile());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            deadline.check();
            throw new PipelineException(ErrorCodes.CORRUPT_IMAGE,
                    "The " + header.format() + " image is corrupt or truncated and cannot be decoded.", e);
        }
    }

    /**
     * How many decoded pixels the original spans along one side. Subsampling keeps pixels 0, step, 2 x step...: each
     * stands for step pixels of the original, so {@code size / step} of the {@code ceil(size / step)} decoded. A
     * reader that ignored the subsampling returned every pixel; then all of them.
     */
    static double extent(int size, int step, int decoded) {
        return decoded == (size + step - 1) / step ? (double) size / step : decoded;
    }

    /** The largest step keeping {@link #OVERSAMPLING} times the target, or more when needed to bound memory. */
    static int subsampling(int width, int height, Fit fit) {
        int step = Math.max(1, Math.min(width / (OVERSAMPLING * fit.width()), height / (OVERSAMPLING * fit.height())));
        while ((long) width * height / ((long) step * step) > MAX_DECODED_PIXELS) {
            step++;
        }
        return step;
    }

    static ImageHeader header(Path file) throws PipelineException {
        if (!Files.isReadable(file)) {
            throw new PipelineException(ErrorCodes.STORAGE_ERROR, "The original image is missing from the store.");
        }
        try {
            return ImageHeaders.read(file);
        } catch (ImageHeaders.UnsupportedImageException e) {
            throw new PipelineException(ErrorCodes.UNSUPPORTED_FORMAT,
                    "The file is not an image in a supported format (JPEG, PNG, GIF, BMP, WebP, TIFF).");
        } catch (ImageHeaders.CorruptImageException e) {
            throw new PipelineException(ErrorCodes.CORRUPT_IMAGE, "The image header is corrupt: " + e.getMessage()
                    + ".", e);
        }
    }

    private static ImageReader readerFor(ImageFormat format) throws PipelineException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name());
        if (!readers.hasNext()) {
            throw new PipelineException(ErrorCodes.UNSUPPORTED_FORMAT,
                    format + " images are not supported by this worker.");
        }
        return readers.next();
    }

    /**
     * A JPEG whose scan ends early decodes "successfully" with a grey band where the data is missing. A thumbnail of
     * that looks like a bug in the service, so it is refused as corrupt instead.
     */
    private static final class TruncationListener implements IIOReadWarningListener {
        private volatile boolean truncated;

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            String text = warning.toLowerCase(Locale.ROOT);
            if (text.contains("premature end") || text.contains("truncat") || text.contains("corrupt")) {
                truncated = true;
            }
        }
    }
}
