package dev.thumbnail.worker.pipeline;

import static dev.thumbnail.worker.pipeline.PixelAssertions.assertColour;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.thumbnail.imagemeta.ImageFormat;
import dev.thumbnail.testfixtures.TestImages;

/** Every format and variant the worker promises to read, checked by decoding the thumbnail, pixels included. */
class ImageVariantsTest {

    private final ThumbnailPipeline pipeline = Pipelines.standard();

    @TempDir
    Path dir;

    @Test
    void readsABaselineAndAProgressiveJpeg() throws Exception {
        for (boolean progressive : new boolean[] { false, true }) {
            BufferedImage thumbnail = thumbnailOf(Fixtures.jpeg(Fixtures.quadrants(800, 600), progressive),
                    ImageFormat.JPEG, 100, 75);
            assertColour(Fixtures.RED, thumbnail.getRGB(10, 10), 40);
            assertColour(0xFFFFFFFF, thumbnail.getRGB(90, 65), 40);
        }
    }

    @ParameterizedTest(name = "luma sampling {0}x{1}, restart interval {2}")
    @CsvSource({ "1, 1, 0", "2, 1, 0", "2, 2, 0", "2, 2, 4", "1, 1, 1" })
    void readsJpegsWithEveryChromaSubsamplingAndRestartMarkers(int h, int v, int restartInterval) throws Exception {
        byte[] jpeg = Fixtures.jpegWithSampling(Fixtures.quadrants(800, 600), h, v, restartInterval);
        assertTrue(restartInterval == 0 || containsMarker(jpeg, 0xDD), "the fixture has a DRI segment");
        assertEquals(h << 4 | v, lumaSampling(jpeg), "the fixture's luma sampling factors");

        for (ThumbnailPipeline engine : List.of(Pipelines.standard(), Pipelines.pureJava())) {
            Path file = Files.createTempFile(dir, "sampled", ".jpg");
            Files.write(file, jpeg);
            BufferedImage thumbnail = Pipelines.decode(engine.run(file, 100, 100, Deadline.none()).bytes());
            assertEquals(100, thumbnail.getWidth());
            assertColour(Fixtures.RED, thumbnail.getRGB(10, 10), 40);
            assertColour(Fixtures.BLUE, thumbnail.getRGB(10, 65), 40);
        }
    }

    /** The H/V sampling byte of the first component in the SOF0 frame header. */
    private static int lumaSampling(byte[] jpeg) {
        for (int i = 0; i + 11 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                return jpeg[i + 11] & 0xFF;
            }
        }
        return -1;
    }

    private static boolean containsMarker(byte[] jpeg, int marker) {
        for (int i = 0; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == marker) {
                return true;
            }
        }
        return false;
    }

    @Test
    void readsAGreyJpegWithoutLighteningIt() throws Exception {
        BufferedImage grey = Fixtures.filled(400, 300, 0xFF404040, BufferedImage.TYPE_BYTE_GRAY);

        BufferedImage thumbnail = thumbnailOf(Fixtures.jpeg(grey, false), ImageFormat.JPEG, 100, 75);

        assertColour(0xFF404040, thumbnail.getRGB(50, 37), 6);
    }

    @Test
    void readsACmykJpegInTheRightColours() throws Exception {
        // Full magenta and yellow, no cyan or black: red on paper.
        BufferedImage thumbnail = thumbnailOf(Fixtures.cmykJpeg(320, 240, 0, 255, 255, 0), ImageFormat.JPEG, 100, 75);

        int rgb = thumbnail.getRGB(50, 37);
        assertTrue(PixelAssertions.red(rgb) > 180 && PixelAssertions.green(rgb) < 90 && PixelAssertions.blue(rgb) < 90, "expected red, was " + PixelAssertions.hex(rgb));
    }

    @Test
    void keepsPaletteTransparencyInPng() throws Exception {
        BufferedImage thumbnail = thumbnailOf(TestImages.encode(Fixtures.paletteWithTransparency(400, 400), "png"),
                ImageFormat.PNG, 100, 100);

        assertEquals(0, thumbnail.getRGB(2, 2) >>> 24, "corner stays transparent");
        assertColour(0xFFE01010, thumbnail.getRGB(50, 50), 20);
    }

    @Test
    void reducesSixteenBitGreyAndColourCorrectly() throws Exception {
        BufferedImage grey = thumbnailOf(
                TestImages.encode(Fixtures.sixteenBit(300, 200, 1, new int[] { 0x8080 }), "png"), ImageFormat.PNG,
                100, 67);
        assertColour(0xFF808080, grey.getRGB(50, 30), 3);

        BufferedImage colour = thumbnailOf(TestImages.encode(
                Fixtures.sixteenBit(300, 200, 3, new int[] { 0xFFFF, 0x8000, 0x0000 }), "png"), ImageFormat.PNG, 100,
                67);
        assertColour(0xFFFF8000, colour.getRGB(50, 30), 3);
    }

    @Test
    void keepsGreyWithAlpha() throws Exception {
        BufferedImage thumbnail = thumbnailOf(TestImages.encode(
                Fixtures.sixteenBit(200, 200, 2, new int[] { 0x4040, 0x0000 }), "png"), ImageFormat.PNG, 100, 100);

        assertEquals(0, thumbnail.getRGB(50, 50) >>> 24);
    }

    @Test
    void takesTheFirstFrameOfAnAnimatedGif() throws Exception {
        byte[] gif = Fixtures.sequence("gif", List.of(
                Fixtures.filled(320, 180, Fixtures.RED, BufferedImage.TYPE_INT_RGB),
                Fixtures.filled(320, 180, Fixtures.BLUE, BufferedImage.TYPE_INT_RGB)));

        BufferedImage thumbnail = thumbnailOf(gif, ImageFormat.JPEG, 100, 56);

        assertColour(Fixtures.RED, thumbnail.getRGB(50, 28), 40);
    }

    @Test
    void turnsATransparentGifIntoAPng() throws Exception {
        BufferedImage thumbnail = thumbnailOf(
                TestImages.encode(Fixtures.paletteWithTransparency(200, 200), "gif"), ImageFormat.PNG, 100, 100);

        assertEquals(0, thumbnail.getRGB(1, 1) >>> 24);
    }

    @Test
    void readsABmp() throws Exception {
        BufferedImage thumbnail = thumbnailOf(TestImages.encode(Fixtures.quadrants(400, 300), "bmp"),
                ImageFormat.JPEG, 100, 75);

        assertColour(Fixtures.BLUE, thumbnail.getRGB(10, 65), 40);
    }

    @ParameterizedTest
    @ValueSource(strings = { "none", "LZW", "Deflate", "PackBits" })
    void readsTiffWithEveryCommonCompression(String compression) throws Exception {
        byte[] tiff = Fixtures.tiff(Fixtures.quadrants(600, 450), compression.equals("none") ? null : compression);

        BufferedImage thumbnail = thumbnailOf(tiff, ImageFormat.JPEG, 100, 75);

        assertColour(Fixtures.RED, thumbnail.getRGB(10, 10), 40);
    }

    @Test
    void takesTheFirstPageOfAMultiPageTiff() throws Exception {
        byte[] tiff = Fixtures.sequence("tiff", List.of(
                Fixtures.filled(300, 200, Fixtures.BLUE, BufferedImage.TYPE_INT_RGB),
                Fixtures.filled(600, 600, Fixtures.RED, BufferedImage.TYPE_INT_RGB)));

        BufferedImage thumbnail = thumbnailOf(tiff, ImageFormat.JPEG, 100, 67);

        assertColour(Fixtures.BLUE, thumbnail.getRGB(50, 33), 40);
    }

    private BufferedImage thumbnailOf(byte[] bytes, ImageFormat format, int width, int height) throws Exception {
        return Pipelines.thumbnailOf(pipeline, dir, bytes, format, width, height);
    }
}
