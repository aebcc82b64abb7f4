package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The box filter on every layout it reads: the same averages, rounded to nearest, from each. */
class AreaAverageTest {

    @Test
    void averagesEachBlockRoundedToNearest() {
        BufferedImage image = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        // Left block: red 0, 0, 1, 2 -> 0.75 -> 1; green 10, 20, 30, 41 -> 25.25 -> 25; blue 255 x 4.
        image.setRGB(0, 0, 0x000AFF);
        image.setRGB(1, 0, 0x0014FF);
        image.setRGB(0, 1, 0x011EFF);
        image.setRGB(1, 1, 0x0229FF);
        // Right block: one white pixel among three black -> 63.75 -> 64.
        image.setRGB(2, 0, 0xFFFFFF);

        BufferedImage reduced = AreaAverage.reduce(image, 2);

        assertEquals(2, reduced.getWidth());
        assertEquals(1, reduced.getHeight());
        assertEquals(BufferedImage.TYPE_INT_RGB, reduced.getType());
        assertEquals(0x0119FF, reduced.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x404040, reduced.getRGB(1, 0) & 0xFFFFFF);
    }

    @Test
    void dropsTheColumnsAndRowsThatDoNotFillABlock() {
        BufferedImage reduced = AreaAverage.reduce(noise(10, 7, BufferedImage.TYPE_INT_RGB), 3);

        assertEquals(3, reduced.getWidth());
        assertEquals(2, reduced.getHeight());
    }

    @Test
    void givesTheSameResultFromEveryOpaqueLayout() {
        BufferedImage rgb = noise(97, 61, BufferedImage.TYPE_INT_RGB);
        BufferedImage bgr = new BufferedImage(97, 61, BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(rgb, 0, 0, null);
        // libjpeg-turbo's BGRX bytes in native memory, as TurboJpeg hands them over.
        ByteBuffer bgrx = ByteBuffer.allocateDirect(97 * 61 * 4).order(ByteOrder.LITTLE_ENDIAN);
        bgrx.asIntBuffer().put(pixels(rgb));

        for (int factor = 2; factor <= 7; factor++) {
            int[] expected = pixels(AreaAverage.reduce(rgb, factor));
            assertArrayEquals(expected, pixels(AreaAverage.reduce(bgr, factor)), "3BYTE_BGR by " + factor);
            assertArrayEquals(expected, pixels(AreaAverage.reduceRgb(bgrx.asIntBuffer(), 97, 61, factor)),
                    "native BGRX by " + factor);
            assertArrayEquals(expected, pixels(slowAverage(rgb, factor)), "reference by " + factor);
        }
    }

    @Test
    void copiesNativePixelsUnchangedWhenThereIsNothingToAverage() {
        BufferedImage rgb = noise(13, 11, BufferedImage.TYPE_INT_RGB);
        IntBuffer native_ = ByteBuffer.allocateDirect(13 * 11 * 4).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        native_.put(pixels(rgb));

        BufferedImage copy = AreaAverage.reduceRgb(native_, 13, 11, 1);

        assertEquals(13, copy.getWidth());
        assertArrayEquals(pixels(rgb), pixels(copy));
    }

    @Test
    void aTransparentPixelDoesNotDarkenItsOpaqueNeighbours() {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xFFFF0000);
        image.setRGB(1, 0, 0xFFFF0000);
        image.setRGB(0, 1, 0xFFFF0000);
        image.setRGB(1, 1, 0x00000000);

        int pixel = AreaAverage.reduce(image, 2).getRGB(0, 0);

        assertEquals(0xFF0000, pixel & 0xFFFFFF, "colour of the visible pixels only");
        assertEquals(191, pixel >>> 24, "three quarters opaque");
    }

    /** The definition, pixel by pixel. */
    private static BufferedImage slowAverage(BufferedImage image, int factor) {
        BufferedImage out = new BufferedImage(image.getWidth() / factor, image.getHeight() / factor,
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                int pixel = 0;
                for (int shift = 0; shift <= 16; shift += 8) {
                    int sum = 0;
                    for (int dy = 0; dy < factor; dy++) {
                        for (int dx = 0; dx < factor; dx++) {
                            sum += (image.getRGB(x * factor + dx, y * factor + dy) >> shift) & 0xFF;
                        }
                    }
                    pixel |= (int) Math.floor((double) sum / (factor * factor) + 0.5) << shift;
                }
                out.setRGB(x, y, pixel);
            }
        }
        return out;
    }

    private static BufferedImage noise(int width, int height, int type) {
        Random random = new Random(width * 31L + height);
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt() | 0xFF000000);
            }
        }
        return image;
    }

    private static int[] pixels(BufferedImage image) {
        int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        int[] rgb = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            rgb[i] = data[i] & 0xFFFFFF;
        }
        return rgb;
    }
}
