package dev.thumbnail.worker.pipeline;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.DirectColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.MultiPixelPackedSampleModel;
import java.awt.image.Raster;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * {@link Pixels} over an image a Java decoder (ImageIO) produced, read straight from its data buffer for every layout
 * the decoders here produce: packed ints (RGB, ARGB, BGR), interleaved bytes or 16-bit samples with 1 to 4 bands
 * (grey, grey + alpha, RGB, RGBA, BGR, ABGR), palettes of 1 to 8 bits. Grey samples are taken as they are stored
 * (Java calls its grey colour space linear, which would lighten every grey image), 16-bit samples are rounded to 8.
 * Samples in another RGB colour space than sRGB are read as they are, and {@link #profile()} says which, so that the
 * small image is converted rather than the large one. Any other layout is first converted whole by {@link Colours}.
 */
final class ImagePixels implements Pixels {

    private final BufferedImage image;
    private final RowReader reader;
    private final double extentWidth;
    private final double extentHeight;
    private final ICC_Profile profile;

    private ImagePixels(BufferedImage image, RowReader reader, double extentWidth, double extentHeight,
            ICC_Profile profile) {
        this.image = image;
        this.reader = reader;
        this.extentWidth = extentWidth;
        this.extentHeight = extentHeight;
        this.profile = profile;
    }

    /** The pixels of {@code image}, which spans {@code extentWidth x extentHeight} of them (see {@link Pixels}). */
    static ImagePixels of(BufferedImage image, double extentWidth, double extentHeight) {
        ColorModel model = image.getColorModel();
        ColorSpace space = model.getColorSpace();
        RowReader reader = reader(image);
        ICC_Profile profile = null;
        if (reader != null && !(model instanceof IndexColorModel) && space.getType() == ColorSpace.TYPE_RGB
                && !space.isCS_sRGB()) {
            if (space instanceof ICC_ColorSpace icc) {
                profile = icc.getProfile();
            } else {
                reader = null;
            }
        }
        if (reader == null) {
            BufferedImage srgb = Colours.toSrgb(image);
            return new ImagePixels(srgb, reader(srgb), extentWidth, extentHeight, null);
        }
        return new ImagePixels(image, reader, extentWidth, extentHeight, profile);
    }

    /** Every pixel of {@code image}: a decoder that did not shrink it. */
    static ImagePixels of(BufferedImage image) {
        return of(image, image.getWidth(), image.getHeight());
    }

    /** The colour profile the samples are in when it is not sRGB (to be applied to the small image); else null. */
    ICC_Profile profile() {
        return profile;
    }

    @Override
    public int width() {
        return image.getWidth();
    }

    @Override
    public int height() {
        return image.getHeight();
    }

    @Override
    public double extentWidth() {
        return extentWidth;
    }

    @Override
    public double extentHeight() {
        return extentHeight;
    }

    @Override
    public boolean hasAlpha() {
        return image.getColorModel().hasAlpha();
    }

    @Override
    public void read(int y, int[] line) {
        reader.read(y, line);
    }

    @Override
    public void close() {
        // the image is garbage once the average is made
    }

    /** Reads one row as packed ARGB. */
    private interface RowReader {
        void read(int y, int[] line);
    }

    /** A reader straight from the data buffer, or null for a layout it does not know. */
    private static RowReader reader(BufferedImage image) {
        Raster raster = image.getRaster();
        ColorModel model = image.getColorModel();
        DataBuffer buffer = raster.getDataBuffer();
        int width = image.getWidth();
        if (raster.getParent() != null || raster.getSampleModelTranslateX() != 0
                || raster.getSampleModelTranslateY() != 0 || buffer.getNumBanks() != 1) {
            return null;
        }
        if (model instanceof DirectColorModel direct && buffer instanceof DataBufferInt ints
                && raster.getSampleModel() instanceof SinglePixelPackedSampleModel packed) {
            return packedInts(ints.getData(), ints.getOffset(), packed.getScanlineStride(), width, direct);
        }
        if (model instanceof IndexColorModel palette) {
            return indexed(raster, buffer, width, palette);
        }
        if (model instanceof ComponentColorModel && raster.getSampleModel() instanceof ComponentSampleModel samples
                && (buffer instanceof DataBufferByte || buffer instanceof DataBufferUShort)) {
            return components(buffer, samples, width, model);
        }
        return null;
    }

    private static RowReader packedInts(int[] data, int offset, int stride, int width, DirectColorModel model) {
        int red = model.getRedMask();
        int green = model.getGreenMask();
        int blue = model.getBlueMask();
        int alpha = model.getAlphaMask();
        if (red == 0xFF0000 && green == 0xFF00 && blue == 0xFF && (alpha == 0 || alpha == 0xFF000000)
                && !model.isAlphaPremultiplied()) {
            return (y, line) -> System.arraycopy(data, offset + y * stride, line, 0, width);
        }
        if (red == 0xFF && green == 0xFF00 && blue == 0xFF0000 && alpha == 0) {
            return (y, line) -> {
                for (int x = 0, i = offset + y * stride; x < width; x++, i++) {
                    int bgr = data[i];
                    line[x] = 0xFF000000 | (bgr & 0xFF) << 16 | bgr & 0xFF00 | (bgr >> 16) & 0xFF;
                }
            };
        }
        return null;
    }

    private static RowReader indexed(Raster raster, DataBuffer buffer, int width, IndexColorModel palette) {
        int[] lut = new int[256];
        palette.getRGBs(lut);
        if (!(buffer instanceof DataBufferByte bytes)) {
            return null;
        }
        byte[] data = bytes.getData();
        int offset = bytes.getOffset();
        if (raster.getSampleModel() instanceof MultiPixelPackedSampleModel packed) {
            int bits = packed.getPixelBitStride();
            int stride = packed.getScanlineStride();
            int first = packed.getDataBitOffset();
            int mask = (1 << bits) - 1;
            return (y, line) -> {
                for (int x = 0, bit = first; x < width; x++, bit += bits) {
                    int b = data[offset + y * stride + (bit >> 3)] & 0xFF;
                    line[x] = lut[(b >> (8 - bits - (bit & 7))) & mask];
                }
            };
        }
        if (raster.getSampleModel() instanceof ComponentSampleModel samples && samples.getNumBands() == 1) {
            int stride = samples.getScanlineStride();
            int step = samples.getPixelStride();
            int start = offset + samples.getBandOffsets()[0];
            return (y, line) -> {
                for (int x = 0, i = start + y * stride; x < width; x++, i += step) {
                    line[x] = lut[data[i] & 0xFF];
                }
            };
        }
        return null;
    }

    /** Interleaved 8- or 16-bit samples: 1 band grey, 2 grey + alpha, 3 colour, 4 colour + alpha. */
    private static RowReader components(DataBuffer buffer, ComponentSampleModel samples, int width,
            ColorModel model) {
        int bands = samples.getNumBands();
        int colours = model.getNumColorComponents();
        boolean alpha = model.hasAlpha();
        if (model.isAlphaPremultiplied() || bands != colours + (alpha ? 1 : 0) || (colours != 1 && colours != 3)) {
            return null;
        }
        int[] banks = samples.getBankIndices();
        for (int bank : banks) {
            if (bank != 0) {
                return null;
            }
        }
        int stride = samples.getScanlineStride();
        int step = samples.getPixelStride();
        int[] offsets = samples.getBandOffsets().clone();
        for (int b = 0; b < offsets.length; b++) {
            offsets[b] += buffer.getOffset();
        }
        int r = offsets[0];
        int g = colours == 3 ? offsets[1] : r;
        int b = colours == 3 ? offsets[2] : r;
        int a = alpha ? offsets[bands - 1] : -1;
        int bits = model.getComponentSize(0);
        // Two explicit loops rather than one over a sample accessor: the JIT keeps each to plain array reads.
        if (buffer instanceof DataBufferByte bytes && bits == 8) {
            byte[] data = bytes.getData();
            return (y, line) -> {
                for (int x = 0, i = y * stride; x < width; x++, i += step) {
                    int opacity = a < 0 ? 0xFF : data[i + a] & 0xFF;
                    line[x] = opacity << 24 | (data[i + r] & 0xFF) << 16 | (data[i + g] & 0xFF) << 8
                            | data[i + b] & 0xFF;
                }
            };
        }
        if (buffer instanceof DataBufferUShort shorts && bits == 16) {
            short[] data = shorts.getData();
            return (y, line) -> {
                for (int x = 0, i = y * stride; x < width; x++, i += step) {
                    int opacity = a < 0 ? 0xFF : to8(data[i + a]);
                    line[x] = opacity << 24 | to8(data[i + r]) << 16 | to8(data[i + g]) << 8 | to8(data[i + b]);
                }
            };
        }
        return null;
    }

    /** A 16-bit sample rounded to 8 bits. */
    private static int to8(short sample) {
        return ((sample & 0xFFFF) * 255 + 32767) / 65535;
    }
}
