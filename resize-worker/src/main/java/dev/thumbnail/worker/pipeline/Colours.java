package dev.thumbnail.worker.pipeline;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.Raster;

/**
 * Brings any decoded image to 8-bit sRGB ({@code INT_RGB}, or {@code INT_ARGB} when it has transparency): palettes
 * expanded, 16-bit samples reduced, grey copied to all three channels, other colour spaces (an embedded ICC profile, a
 * CMYK image already converted by the JPEG plugin) converted to sRGB.
 */
public final class Colours {

    private Colours() {
    }

    /**
     * {@link #toSrgb(BufferedImage)}, then, for a decoder that returned the samples untouched although the file
     * carries a profile (the PNG reader does), a conversion from that profile to sRGB.
     */
    public static BufferedImage toSrgb(BufferedImage image, ICC_Profile embedded) {
        BufferedImage srgb = toSrgb(image);
        if (embedded == null || embedded.getColorSpaceType() != ColorSpace.TYPE_RGB
                || !image.getColorModel().getColorSpace().isCS_sRGB() || isSrgb(embedded)) {
            return srgb;
        }
        ColorConvertOp convert = new ColorConvertOp(new ICC_ColorSpace(embedded),
                ColorSpace.getInstance(ColorSpace.CS_sRGB), null);
        BufferedImage out = new BufferedImage(srgb.getWidth(), srgb.getHeight(), srgb.getType());
        // Only the colour bands are converted; alpha is copied as it is.
        convert.filter(srgb.getRaster().createChild(0, 0, srgb.getWidth(), srgb.getHeight(), 0, 0,
                new int[] { 0, 1, 2 }), out.getRaster().createWritableChild(0, 0, srgb.getWidth(), srgb.getHeight(),
                        0, 0, new int[] { 0, 1, 2 }));
        if (srgb.getColorModel().hasAlpha()) {
            out.getAlphaRaster().setRect(srgb.getAlphaRaster());
        }
        return out;
    }

    /** An sRGB profile ("sRGB IEC61966-2.1", "sRGB built-in", ...) needs no conversion; "linear sRGB" does. */
    private static boolean isSrgb(ICC_Profile profile) {
        byte[] tag = profile.getData(ICC_Profile.icSigProfileDescriptionTag);
        if (tag == null || tag.length < 16 || tag[0] != 'd' || tag[1] != 'e' || tag[2] != 's' || tag[3] != 'c') {
            return false;
        }
        String description = new String(tag, 12, Math.min(tag.length - 12, 64),
                java.nio.charset.StandardCharsets.ISO_8859_1);
        return description.startsWith("sRGB");
    }

    public static BufferedImage toSrgb(BufferedImage image) {
        ColorModel model = image.getColorModel();
        boolean alpha = model.hasAlpha();
        int type = alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        ColorSpace space = model.getColorSpace();
        if (image.getType() == type && space.isCS_sRGB()) {
            return image;
        }
        if (space.getType() == ColorSpace.TYPE_GRAY && model.getNumColorComponents() == 1) {
            return grey(image, alpha, type);
        }
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), type);
        if (space.isCS_sRGB()) {
            // Palette and 16-bit sRGB: the colour model maps samples to 8-bit sRGB exactly.
            int w = image.getWidth();
            int[] row = new int[w];
            for (int y = 0; y < image.getHeight(); y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                out.setRGB(0, y, w, 1, row, 0, w);
            }
            return out;
        }
        return new ColorConvertOp(null).filter(image, out);
    }

    /**
     * Java treats its grey colour space as linear, so a generic conversion would lighten every grey image. Grey
     * samples are copied to R, G and B as they are, which is how every viewer shows them.
     */
    private static BufferedImage grey(BufferedImage image, boolean alpha, int type) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), type);
        Raster raster = image.getRaster();
        int greyBits = image.getColorModel().getComponentSize(0);
        int alphaBits = alpha ? image.getColorModel().getComponentSize(1) : 8;
        int w = image.getWidth();
        int[] samples = new int[raster.getNumBands() * w];
        int[] row = new int[w];
        for (int y = 0; y < image.getHeight(); y++) {
            raster.getPixels(0, y, w, 1, samples);
            for (int x = 0; x < w; x++) {
                int grey = scale(samples[x * raster.getNumBands()], greyBits);
                int a = alpha ? scale(samples[x * raster.getNumBands() + 1], alphaBits) : 0xFF;
                row[x] = a << 24 | grey << 16 | grey << 8 | grey;
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    private static int scale(int sample, int bits) {
        return bits == 8 ? sample : (int) Math.round(sample * 255.0 / ((1 << bits) - 1));
    }
}
