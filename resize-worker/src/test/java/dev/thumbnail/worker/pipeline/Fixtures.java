package dev.thumbnail.worker.pipeline;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;

import dev.thumbnail.testfixtures.SystemPackages;

/** Image variants written by the JDK's own writers, so the tests own every fixture. */
final class Fixtures {

    /**
     * {@code png} made a WebP by Debian's {@code cwebp} (package {@code webp}, which ./test.sh installs) with
     * {@code options} ({@code -lossless}, {@code -q 90}, ...); the files go to {@code dir}.
     */
    static byte[] cwebp(Path dir, byte[] png, List<String> options) throws Exception {
        Path cwebp = SystemPackages.requireProgram("webp", "/usr/bin/cwebp");
        Path in = Files.createTempFile(dir, "source", ".png");
        Path out = dir.resolve(in.getFileName() + ".webp");
        Files.write(in, png);
        List<String> command = new ArrayList<>(List.of(cwebp.toString(), "-quiet"));
        command.addAll(options);
        command.addAll(List.of(in.toString(), "-o", out.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("cwebp failed: " + new String(process.getInputStream().readAllBytes()));
        }
        return Files.readAllBytes(out);
    }

    static final int RED = 0xFFE01010;
    static final int GREEN = 0xFF10E010;
    static final int BLUE = 0xFF1020E0;

    private Fixtures() {
    }

    /** Quadrants: red top-left, green top-right, blue bottom-left, white bottom-right. */
    static BufferedImage quadrants(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(RED));
        g.fillRect(0, 0, width / 2, height / 2);
        g.setColor(new Color(GREEN));
        g.fillRect(width / 2, 0, width - width / 2, height / 2);
        g.setColor(new Color(BLUE));
        g.fillRect(0, height / 2, width / 2, height - height / 2);
        g.setColor(Color.WHITE);
        g.fillRect(width / 2, height / 2, width - width / 2, height - height / 2);
        g.dispose();
        return image;
    }

    static BufferedImage filled(int width, int height, int argb, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(argb, true));
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    /** Opaque blue ellipse on fully transparent corners. */
    static BufferedImage transparentCorners(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(BLUE));
        g.fillOval(width / 10, height / 10, width * 8 / 10, height * 8 / 10);
        g.dispose();
        return image;
    }

    static byte[] jpeg(BufferedImage image, boolean progressive) {
        return write(image, "jpeg", param -> {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.92f);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
        });
    }

    /**
     * A baseline JPEG with the given chroma subsampling ({@code h x v} of the luma component: 1x1 is 4:4:4, 2x1 is
     * 4:2:2, 2x2 is 4:2:0) and, when {@code restartInterval > 0}, restart markers every that many MCUs.
     */
    static byte[] jpegWithSampling(BufferedImage image, int h, int v, int restartInterval) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image),
                    param);
            String format = "javax_imageio_jpeg_image_1.0";
            org.w3c.dom.Element tree = (org.w3c.dom.Element) metadata.getAsTree(format);
            org.w3c.dom.NodeList components = tree.getElementsByTagName("componentSpec");
            for (int i = 0; i < components.getLength(); i++) {
                org.w3c.dom.Element component = (org.w3c.dom.Element) components.item(i);
                component.setAttribute("HsamplingFactor", i == 0 ? Integer.toString(h) : "1");
                component.setAttribute("VsamplingFactor", i == 0 ? Integer.toString(v) : "1");
            }
            if (restartInterval > 0) {
                org.w3c.dom.Element markers = (org.w3c.dom.Element) tree.getElementsByTagName("markerSequence")
                        .item(0);
                javax.imageio.metadata.IIOMetadataNode dri = new javax.imageio.metadata.IIOMetadataNode("dri");
                dri.setAttribute("interval", Integer.toString(restartInterval));
                markers.insertBefore(dri, markers.getFirstChild());
            }
            metadata.setFromTree(format, tree);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * An Adam7-interlaced 8-bit RGB PNG, written here because the JDK's PNG writer only writes non-interlaced ones:
     * the seven passes' scanlines (filter type 0), deflated into one IDAT.
     */
    static byte[] interlacedPng(BufferedImage image) {
        int[][] passes = { { 0, 0, 8, 8 }, { 4, 0, 8, 8 }, { 0, 4, 4, 8 }, { 2, 0, 4, 4 }, { 0, 2, 2, 4 },
                { 1, 0, 2, 2 }, { 0, 1, 1, 2 } };
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int[] pass : passes) {
            for (int y = pass[1]; y < image.getHeight(); y += pass[3]) {
                if (pass[0] >= image.getWidth()) {
                    break;
                }
                raw.write(0);
                for (int x = pass[0]; x < image.getWidth(); x += pass[2]) {
                    int rgb = image.getRGB(x, y);
                    raw.write((rgb >> 16) & 0xFF);
                    raw.write((rgb >> 8) & 0xFF);
                    raw.write(rgb & 0xFF);
                }
            }
        }
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream deflate = new java.util.zip.DeflaterOutputStream(idat)) {
            deflate.write(raw.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(13).putInt(image.getWidth()).putInt(image.getHeight())
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 1);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] name = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(name);
        crc.update(data);
        png.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(name);
        png.writeBytes(data);
        png.writeBytes(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static byte[] tiff(BufferedImage image, String compression) {
        return write(image, "tiff", param -> {
            if (compression != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionType(compression);
            }
        });
    }

    static byte[] sequence(String format, List<BufferedImage> frames) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : frames) {
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame),
                        null);
                writer.writeToSequence(new IIOImage(frame, null, metadata), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** 8-bit palette with index 0 fully transparent and index 1 opaque red, a red square inside. */
    static BufferedImage paletteWithTransparency(int width, int height) {
        byte[] r = { 0, (byte) 0xE0 };
        byte[] g = { 0, 0x10 };
        byte[] b = { 0, 0x10 };
        IndexColorModel model = new IndexColorModel(8, 2, r, g, b, 0);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, model);
        WritableRaster raster = image.getRaster();
        for (int y = height / 4; y < height * 3 / 4; y++) {
            for (int x = width / 4; x < width * 3 / 4; x++) {
                raster.setSample(x, y, 0, 1);
            }
        }
        return image;
    }

    /** 16 bits per sample, {@code bands} = 1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA), filled with one value. */
    static BufferedImage sixteenBit(int width, int height, int bands, int[] samples) {
        boolean alpha = bands == 2 || bands == 4;
        ColorSpace space = ColorSpace.getInstance(bands <= 2 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
        ComponentColorModel model = new ComponentColorModel(space, alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(x, y, samples);
            }
        }
        return new BufferedImage(model, raster, false, null);
    }

    /** A CMYK JPEG as Photoshop writes it: Adobe APP14 marker, no colour transform, inverted samples. */
    static byte[] cmykJpeg(int width, int height, int c, int m, int y, int k) {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, width, height, 4, null);
        int[] inverted = { 255 - c, 255 - m, 255 - y, 255 - k };
        for (int row = 0; row < height; row++) {
            for (int x = 0; x < width; x++) {
                raster.setPixel(x, row, inverted);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        // The writer adds no Adobe marker; without one, readers cannot know the samples are inverted CMYK.
        byte[] plain = bytes.toByteArray();
        byte[] adobe = { (byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0 };
        byte[] marked = new byte[plain.length + adobe.length];
        System.arraycopy(plain, 0, marked, 0, 2);
        System.arraycopy(adobe, 0, marked, 2, adobe.length);
        System.arraycopy(plain, 2, marked, 2 + adobe.length, plain.length - 2);
        return marked;
    }

    private interface ParamSetup {
        void apply(ImageWriteParam param);
    }

    private static byte[] write(BufferedImage image, String format, ParamSetup setup) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            setup.apply(param);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
