package dev.thumbnail.worker.pipeline;

import java.awt.Graphics2D;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.event.IIOReadUpdateListener;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.metadata.IIOMetadata;

import org.w3c.dom.Node;

import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.imagemeta.ImageFormat;
import dev.thumbnail.imagemeta.ImageHeader;

/**
 * The pure-Java decoders: the JDK's ImageIO readers, and TwelveMonkeys' for what the JDK lacks (CMYK/YCCK and
 * lossless JPEGs, WebP, the TIFF variants). Reads the first frame, subsampling while decoding when the image is much
 * larger than needed. Metadata is not parsed (the orientation comes from the bounded header reader), except a GIF
 * frame's position on its logical screen.
 * <p>
 * The deadline holds on this path too: the reader is aborted from its own thread, by its progress and pass listeners
 * (ImageIO refuses an abort from another thread while a read is under way), so a JPEG of thousands of scans stops
 * within a pass of the deadline.
 */
final class ImageIoDecoder {

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

    private ImageIoDecoder() {
    }

    /**
     * @param profile a colour profile the decoder does not apply itself (a PNG's iCCP), or null
     */
    static Decoded decode(Original original, ImageHeader header, Fit fit, Deadline deadline, ICC_Profile profile)
            throws PipelineException {
        ImageReader reader = readerFor(header.format());
        Watch watch = new Watch(deadline);
        reader.addIIOReadWarningListener(watch);
        reader.addIIOReadProgressListener(watch);
        reader.addIIOReadUpdateListener(watch);
        try (ByteBufferImageInputStream input = new ByteBufferImageInputStream(original.bytes())) {
            reader.setInput(input, true, header.format() != ImageFormat.GIF);
            // The reader sizes its raster from its own reading of the header: more pixels than the checked header
            // counted (all frames, at their own sizes) means the file says two things, and the limit would not hold.
            long claimed = (long) reader.getWidth(0) * reader.getHeight(0);
            if (claimed > header.pixels()) {
                throw new PipelineException(ErrorCodes.CORRUPT_IMAGE, "The image's headers disagree about its size: "
                        + reader.getWidth(0) + "x" + reader.getHeight(0) + " against " + header.width() + "x"
                        + header.height() + ".");
            }
            ImageReadParam param = reader.getDefaultReadParam();
            int step = subsampling(header.width(), header.height(), fit.stored(header));
            if (step > 1) {
                param.setSourceSubsampling(step, step, 0, 0);
            }
            BufferedImage image = reader.read(0, param);
            deadline.check();
            if (watch.damage != null) {
                throw new PipelineException(ErrorCodes.CORRUPT_IMAGE, new DecoderMessage("ImageIO", watch.damage));
            }
            if (header.format() == ImageFormat.GIF) {
                image = onScreen(image, reader.getImageMetadata(0), header, step);
            }
            ImagePixels pixels = ImagePixels.of(image, extent(header.width(), step, image.getWidth()),
                    extent(header.height(), step, image.getHeight()));
            return new Decoded(header, fit, pixels, profile != null ? profile : pixels.profile());
        } catch (IOException | RuntimeException e) {
            deadline.check();
            throw new PipelineException(unsupported(e) ? ErrorCodes.UNSUPPORTED_FORMAT : ErrorCodes.CORRUPT_IMAGE, e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * A GIF's picture is its logical screen with the frame drawn at its offset (GIF89a, section 20): transparent where
     * the frame does not paint, and clipped to the screen where it overhangs. A frame that covers the screen exactly is
     * the picture as it is.
     */
    static BufferedImage onScreen(BufferedImage frame, IIOMetadata metadata, ImageHeader header, int step) {
        int left = 0;
        int top = 0;
        Node descriptor = child(metadata.getAsTree("javax_imageio_gif_image_1.0"), "ImageDescriptor");
        if (descriptor != null) {
            left = attribute(descriptor, "imageLeftPosition");
            top = attribute(descriptor, "imageTopPosition");
        }
        int width = (header.width() + step - 1) / step;
        int height = (header.height() + step - 1) / step;
        if (left == 0 && top == 0 && frame.getWidth() == width && frame.getHeight() == height) {
            return frame;
        }
        BufferedImage screen = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = screen.createGraphics();
        try {
            g.drawImage(frame, left / step, top / step, null);
        } finally {
            g.dispose();
        }
        return screen;
    }

    private static Node child(Node node, String name) {
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeName().equals(name)) {
                return child;
            }
        }
        return null;
    }

    private static int attribute(Node node, String name) {
        Node value = node.getAttributes().getNamedItem(name);
        try {
            return value == null ? 0 : Integer.parseInt(value.getNodeValue());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * A reader's refusal of a process or layout it does not implement (a 12-bit or arithmetic-coded JPEG for the
     * JDK's reader, say), as opposed to damaged data; in the readers' own words.
     */
    static boolean unsupported(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("unsupported") || message.contains("not supported")
                    || message.contains("not implemented") || message.contains("data precision")) {
                return true;
            }
        }
        return false;
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

    private static ImageReader readerFor(ImageFormat format) throws PipelineException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name());
        if (!readers.hasNext()) {
            throw new PipelineException(ErrorCodes.UNSUPPORTED_FORMAT,
                    new DecoderMessage("ImageIO", "no reader for " + format));
        }
        return readers.next();
    }

    /**
     * Listens to the reader on its own thread: aborts it once the deadline has passed, and notes a warning that says
     * pixels are missing ({@link JpegWarnings}); other warnings, about a complete image, are logged.
     */
    private static final class Watch implements IIOReadWarningListener, IIOReadProgressListener,
            IIOReadUpdateListener {
        private final Deadline deadline;
        private String damage;

        Watch(Deadline deadline) {
            this.deadline = deadline;
        }

        private void checkDeadline(ImageReader reader) {
            if (deadline.expired()) {
                reader.abort();
            }
        }

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            if (JpegWarnings.damaging(warning)) {
                damage = warning;
            } else {
                io.quarkus.logging.Log.infof("image decoded with a warning from ImageIO: %s", warning);
            }
        }

        @Override
        public void imageProgress(ImageReader source, float percentageDone) {
            checkDeadline(source);
        }

        @Override
        public void passStarted(ImageReader source, BufferedImage image, int pass, int minPass, int maxPass, int minX,
                int minY, int periodX, int periodY, int[] bands) {
            checkDeadline(source);
        }

        @Override
        public void passComplete(ImageReader source, BufferedImage image) {
            checkDeadline(source);
        }

        @Override
        public void imageUpdate(ImageReader source, BufferedImage image, int minX, int minY, int width, int height,
                int periodX, int periodY, int[] bands) {
            checkDeadline(source);
        }

        @Override
        public void sequenceStarted(ImageReader source, int minIndex) {
        }

        @Override
        public void sequenceComplete(ImageReader source) {
        }

        @Override
        public void imageStarted(ImageReader source, int imageIndex) {
        }

        @Override
        public void imageComplete(ImageReader source) {
        }

        @Override
        public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {
        }

        @Override
        public void thumbnailProgress(ImageReader source, float percentageDone) {
        }

        @Override
        public void thumbnailComplete(ImageReader source) {
        }

        @Override
        public void readAborted(ImageReader source) {
        }

        @Override
        public void thumbnailPassStarted(ImageReader source, BufferedImage theThumbnail, int pass, int minPass,
                int maxPass, int minX, int minY, int periodX, int periodY, int[] bands) {
        }

        @Override
        public void thumbnailPassComplete(ImageReader source, BufferedImage theThumbnail) {
        }

        @Override
        public void thumbnailUpdate(ImageReader source, BufferedImage theThumbnail, int minX, int minY, int width,
                int height, int periodX, int periodY, int[] bands) {
        }
    }
}
