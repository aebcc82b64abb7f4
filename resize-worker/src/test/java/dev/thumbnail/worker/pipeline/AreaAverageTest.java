package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The area average against its definition, on every layout it reads, with whole and fractional steps. */
class AreaAverageTest {

    @Test
    void averagesEachBlockRoundedToNearest() throws Exception {
        BufferedImage image = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        // Left block: red 0, 0, 1, 2 -> 0.75 -> 1; green 10, 20, 30, 41 -> 25.25 -> 25; blue 255 x 4.
        image.setRGB(0, 0, 0x000AFF);
        image.setRGB(1, 0, 0x0014FF);
        image.setRGB(0, 1, 0x011EFF);
        image.setRGB(1, 1, 0x0229FF);
        // Right block: one white pixel among three black -> 63.75 -> 64.
        image.setRGB(2, 0, 0xFFFFFF);

        BufferedImage reduced = AreaAverage.resample(pixels(image, 4, 2), 2, 1);

        assertEquals(BufferedImage.TYPE_INT_RGB, reduced.getType());
        assertEquals(0x0119FF, reduced.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x404040, reduced.getRGB(1, 0) & 0xFFFFFF);
    }

    @Test
    void splitsAPixelBetweenTheTwoOutputsItStraddles() throws Exception {
        // Three pixels into two: the middle one counts half for each side.
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0x000000);
        image.setRGB(1, 0, 0x969696);
        image.setRGB(2, 0, 0xF0F0F0);

        BufferedImage reduced = AreaAverage.resample(pixels(image, 3, 1), 2, 1);

        // (0 x 1 + 150 x 0.5) / 1.5 = 50; (150 x 0.5 + 240 x 1) / 1.5 = 210.
        assertEquals(0x323232, reduced.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xD2D2D2, reduced.getRGB(1, 0) & 0xFFFFFF);
    }

    @ParameterizedTest(name = "{0}x{1} spanning {2}x{3} -> {4}x{5}")
    @CsvSource({
            "97, 61, 97, 61, 48, 30",
            "320, 214, 320, 213.25, 200, 134",
            "500, 375, 500, 375, 200, 150",
            "250, 250, 250, 250, 200, 200",
            "1000, 667, 1000, 666.67, 111, 74",
            "64, 48, 64, 48, 64, 48",
    })
    void matchesTheDefinitionOnEveryLayout(int width, int height, double extentWidth, double extentHeight,
            int outWidth, int outHeight) throws Exception {
        BufferedImage rgb = noise(width, height, BufferedImage.TYPE_INT_RGB);
        BufferedImage bgr = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        bgr.getGraphics().drawImage(rgb, 0, 0, null);
        // libjpeg-turbo's BGRX bytes in native memory, as TurboJpeg hands them over.
        ByteBuffer bgrx = ByteBuffer.allocateDirect(width * height * 4).order(ByteOrder.LITTLE_ENDIAN);
        bgrx.asIntBuffer().put(pixels(rgb));
        int[] expected = pixels(definition(rgb, extentWidth, extentHeight, outWidth, outHeight));

        assertClose(expected, AreaAverage.resample(pixels(rgb, extentWidth, extentHeight), outWidth, outHeight),
                "INT_RGB");
        assertClose(expected, AreaAverage.resample(pixels(bgr, extentWidth, extentHeight), outWidth, outHeight),
                "3BYTE_BGR");
        assertClose(expected, AreaAverage.resample(nativeRgb(bgrx.asIntBuffer(), width, height, extentWidth,
                extentHeight), outWidth, outHeight), "native BGRX");
    }

    @Test
    void copiesPixelsUnchangedAtTheSameSize() throws Exception {
        BufferedImage rgb = noise(13, 11, BufferedImage.TYPE_INT_RGB);
        IntBuffer native_ = ByteBuffer.allocateDirect(13 * 11 * 4).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        native_.put(pixels(rgb));

        assertArrayEquals(pixels(rgb), pixels(AreaAverage.resample(nativeRgb(native_, 13, 11, 13, 11), 13, 11)));
    }

    @Test
    void aTransparentPixelDoesNotDarkenItsOpaqueNeighbours() throws Exception {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xFFFF0000);
        image.setRGB(1, 0, 0xFFFF0000);
        image.setRGB(0, 1, 0xFFFF0000);
        image.setRGB(1, 1, 0x00000000);

        int pixel = AreaAverage.resample(pixels(image, 2, 2), 1, 1).getRGB(0, 0);

        assertEquals(0xFF0000, pixel & 0xFFFFFF, "colour of the visible pixels only");
        assertEquals(191, pixel >>> 24, "three quarters opaque");
    }

    @Test
    void averagesTransparencyTheSameFromBothAlphaLayouts() throws Exception {
        BufferedImage argb = noise(90, 70, BufferedImage.TYPE_INT_ARGB);
        BufferedImage abgr = new BufferedImage(90, 70, BufferedImage.TYPE_4BYTE_ABGR);
        for (int y = 0; y < 70; y++) {
            for (int x = 0; x < 90; x++) {
                abgr.setRGB(x, y, argb.getRGB(x, y));
            }
        }

        BufferedImage a = AreaAverage.resample(pixels(argb, 90, 70), 40, 30);
        BufferedImage b = AreaAverage.resample(pixels(abgr, 90, 70), 40, 30);

        assertEquals(BufferedImage.TYPE_INT_ARGB, a.getType());
        assertArrayEquals(((DataBufferInt) a.getRaster().getDataBuffer()).getData(),
                ((DataBufferInt) b.getRaster().getDataBuffer()).getData());
    }

    /** The definition in doubles: each output pixel is the mean of the source area it covers. */
    private static BufferedImage definition(BufferedImage image, double extentWidth, double extentHeight,
            int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        double sx = extentWidth / width;
        double sy = extentHeight / height;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double[] sum = new double[3];
                double area = 0;
                for (int j = (int) Math.floor(y * sy); j < Math.ceil((y + 1) * sy); j++) {
                    double h = Math.min((y + 1) * sy, j + 1) - Math.max(y * sy, j);
                    for (int i = (int) Math.floor(x * sx); i < Math.ceil((x + 1) * sx); i++) {
                        double w = Math.min((x + 1) * sx, i + 1) - Math.max(x * sx, i);
                        int pixel = image.getRGB(i, j);
                        for (int c = 0; c < 3; c++) {
                            sum[c] += w * h * ((pixel >> (16 - 8 * c)) & 0xFF);
                        }
                        area += w * h;
                    }
                }
                out.setRGB(x, y, (int) Math.round(sum[0] / area) << 16 | (int) Math.round(sum[1] / area) << 8
                        | (int) Math.round(sum[2] / area));
            }
        }
        return out;
    }

    /** Within one level per channel: the weights are 14-bit fixed point. */
    private static void assertClose(int[] expected, BufferedImage actual, String layout) {
        int[] got = pixels(actual);
        assertEquals(expected.length, got.length, layout);
        for (int i = 0; i < expected.length; i++) {
            for (int shift = 0; shift <= 16; shift += 8) {
                int difference = Math.abs(((expected[i] >> shift) & 0xFF) - ((got[i] >> shift) & 0xFF));
                assertTrue(difference <= 1, layout + ": pixel " + i + " differs by " + difference);
            }
        }
    }

    private static BufferedImage noise(int width, int height, int type) {
        Random random = new Random(width * 31L + height);
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, type == BufferedImage.TYPE_INT_RGB ? random.nextInt() | 0xFF000000
                        : random.nextInt());
            }
        }
        return image;
    }

    private static Pixels pixels(BufferedImage image, double extentWidth, double extentHeight) {
        return ImagePixels.of(image, extentWidth, extentHeight);
    }

    /** Opaque pixels in native memory, as libjpeg-turbo's decoder hands them on. */
    private static Pixels nativeRgb(IntBuffer pixels, int width, int height, double extentWidth,
            double extentHeight) {
        return new Pixels() {
            public int width() {
                return width;
            }

            public int height() {
                return height;
            }

            public double extentWidth() {
                return extentWidth;
            }

            public double extentHeight() {
                return extentHeight;
            }

            public boolean hasAlpha() {
                return false;
            }

            public void read(int y, int[] line) {
                pixels.get(y * width, line, 0, width);
            }

            public void close() {
            }
        };
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
