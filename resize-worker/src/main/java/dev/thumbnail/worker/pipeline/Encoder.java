package dev.thumbnail.worker.pipeline;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.w3c.dom.NodeList;

import dev.thumbnail.imagemeta.ImageFormat;

/**
 * Writes the thumbnail. By default ({@link OutputFormat#AUTO}) JPEG stays JPEG and PNG stays PNG; other formats become
 * PNG when they have transparency and JPEG otherwise. An operator may force one format for every thumbnail.
 * Transparency is kept in PNG and flattened onto white for JPEG (never onto black). ImageIO writes into memory, never
 * through its disk cache: {@code ImageIO.write} to an OutputStream with the cache on (the JDK's default) makes, writes
 * and deletes a temp file per thumbnail (measured: about 3% of the worker's CPU on PNGs, issue 11) and fails where the
 * temp directory cannot be written.
 * <p>
 * JPEGs are written without chroma subsampling (4:4:4), by libjpeg-turbo when present and by ImageIO otherwise. The
 * usual 4:2:0 keeps one colour sample per 2x2 pixels, which on a 100 px image smears every coloured edge: measured on
 * photos (docs/BENCHMARKS.md), 4:4:4 is about 5 dB closer to an ideal thumbnail for about 1 KB more per file.
 */
public class Encoder {

    /** Which format thumbnails are written in. */
    public enum OutputFormat {
        AUTO,
        JPEG,
        PNG
    }

    private final int jpegQuality;
    private final OutputFormat output;
    private final Optional<TurboJpeg> turboJpeg;

    /** An encoder with ImageIO only. */
    public Encoder(int jpegQuality, OutputFormat output) {
        this(jpegQuality, output, Optional.empty());
    }

    /** An encoder writing JPEGs with libjpeg-turbo when given (several times faster than ImageIO's writer). */
    Encoder(int jpegQuality, OutputFormat output, Optional<TurboJpeg> turboJpeg) {
        this.jpegQuality = Math.max(0, Math.min(100, jpegQuality));
        this.output = output;
        this.turboJpeg = turboJpeg;
    }

    public ImageFormat outputFormat(ImageFormat source, boolean hasAlpha) {
        return switch (output) {
            case JPEG -> ImageFormat.JPEG;
            case PNG -> ImageFormat.PNG;
            case AUTO -> switch (source) {
                case JPEG -> ImageFormat.JPEG;
                case PNG -> ImageFormat.PNG;
                default -> hasAlpha ? ImageFormat.PNG : ImageFormat.JPEG;
            };
        };
    }

    public byte[] encode(BufferedImage image, ImageFormat format) {
        BufferedImage pixels = format == ImageFormat.JPEG ? opaque(image) : image;
        if (format == ImageFormat.JPEG && turboJpeg.isPresent() && pixels.getType() == BufferedImage.TYPE_INT_RGB) {
            return turboJpeg.get().encode(pixels, jpegQuality);
        }
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024)) {
            if (format == ImageFormat.JPEG) {
                writeJpeg(pixels, bytes);
            } else {
                try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                    ImageIO.write(pixels, "png", out);
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding the thumbnail failed", e);
        }
    }

    private void writeJpeg(BufferedImage image, ByteArrayOutputStream bytes) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(jpegQuality / 100f);
            writer.write(null, new IIOImage(image, null, fullChroma(writer, image, param)), param);
        } finally {
            writer.dispose();
        }
    }

    /** ImageIO's default JPEG metadata for {@code image} with every component sampled 1x1: 4:4:4. */
    private static IIOMetadata fullChroma(ImageWriter writer, BufferedImage image, ImageWriteParam param)
            throws IOException {
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
        String format = "javax_imageio_jpeg_image_1.0";
        IIOMetadataNode tree = (IIOMetadataNode) metadata.getAsTree(format);
        NodeList components = tree.getElementsByTagName("componentSpec");
        for (int i = 0; i < components.getLength(); i++) {
            IIOMetadataNode component = (IIOMetadataNode) components.item(i);
            component.setAttribute("HsamplingFactor", "1");
            component.setAttribute("VsamplingFactor", "1");
        }
        metadata.setFromTree(format, tree);
        return metadata;
    }

    /** The image itself when it has no transparency, else an RGB copy with transparent pixels made white. */
    static BufferedImage opaque(BufferedImage image) {
        if (!image.getColorModel().hasAlpha()) {
            return image;
        }
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return rgb;
    }
}
