package dev.thumbnail.worker.pipeline;

import java.awt.color.ColorSpace;
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
