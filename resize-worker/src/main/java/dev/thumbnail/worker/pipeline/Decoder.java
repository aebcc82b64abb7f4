package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.contracts.ImageFormat;

/**
 * Sniffs the format from the magic bytes, reads the dimensions from the header, refuses images over the pixel limit
 * before a single pixel is decoded, then decodes, shrinking on load when the image is much larger than needed.
 */
public class Decoder {

    /** Decode at least this many times the target size, so the resampler has real pixels to filter. */
    static final int OVERSAMPLING = 4;

    static {
        // Decoding never needs ImageIO's disk cache; without it no temp files are left behind by a killed worker.
        ImageIO.setUseCache(false);
    }

    private final long maxPixels;

    public Decoder(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    public Decoded decode(Path file, int targetWidth, int targetHeight) throws PipelineException {
        ImageFormat format = sniff(file);
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = readerFor(format, input);
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if ((long) width * height > maxPixels) {
                    throw new PipelineException(ErrorCodes.IMAGE_TOO_LARGE, "The image is " + width + "x" + height
                            + " pixels; the limit is " + maxPixels + " pixels.");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = subsampling(width, height, targetWidth, targetHeight);
                if (step > 1) {
                    param.setSourceSubsampling(step, step, 0, 0);
                }
                BufferedImage pixels = reader.read(0, param);
                return new Decoded(format, width, height, pixels);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new PipelineException(ErrorCodes.CORRUPT_IMAGE,
                    "The " + format + " image is corrupt or truncated and cannot be decoded.", e);
        }
    }

    static int subsampling(int width, int height, int targetWidth, int targetHeight) {
        return Math.max(1, Math.min(width / (targetWidth * OVERSAMPLING), height / (targetHeight * OVERSAMPLING)));
    }

    static ImageFormat sniff(Path file) throws PipelineException {
        byte[] head = new byte[ImageFormat.SNIFF_LENGTH];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(head, 0, head.length);
        } catch (IOException e) {
            throw new PipelineException(ErrorCodes.STORAGE_ERROR, "The original image could not be read.", e);
        }
        return ImageFormat.sniff(head, read).orElseThrow(() -> new PipelineException(ErrorCodes.UNSUPPORTED_FORMAT,
                "The file is not an image in a supported format."));
    }

    private static ImageReader readerFor(ImageFormat format, ImageInputStream input) throws PipelineException {
        if (input == null) {
            throw new PipelineException(ErrorCodes.STORAGE_ERROR, "The original image could not be opened.");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name());
        if (!readers.hasNext()) {
            throw new PipelineException(ErrorCodes.UNSUPPORTED_FORMAT,
                    format + " images are not supported by this worker.");
        }
        return readers.next();
    }
}
