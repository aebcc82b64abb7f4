package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.imagemeta.ImageFormat;
import dev.thumbnail.testfixtures.TestImages;

class ThumbnailPipelineTest {

    private final ThumbnailPipeline pipeline = Pipelines.standard();

    @TempDir
    Path dir;

    /** Subsampled while decoding (every second pixel here): the whole image reaches the thumbnail, in its place. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "png", "bmp", "gif", "tiff" })
    void shrinksALargeImageOfEveryFormatWhole(String format) throws Exception {
        byte[] image = TestImages.encode(Fixtures.quadrants(2400, 1600), format);

        BufferedImage thumbnail = Pipelines.thumbnailOf(pipeline, dir, image,
                format.equals("png") ? ImageFormat.PNG : ImageFormat.JPEG, 100, 67);

        PixelAssertions.assertColour(Fixtures.RED, thumbnail.getRGB(10, 10), 40);
        PixelAssertions.assertColour(Fixtures.GREEN, thumbnail.getRGB(90, 10), 40);
        PixelAssertions.assertColour(Fixtures.BLUE, thumbnail.getRGB(10, 60), 40);
        PixelAssertions.assertColour(0xFFFFFFFF, thumbnail.getRGB(90, 60), 40);
        // The edge between the quadrants stays in the middle: columns 49 and 50 on either side of it.
        assertTrue((thumbnail.getRGB(49, 10) >> 16 & 0xFF) > 0xC0, "column 49 still red");
        assertTrue((thumbnail.getRGB(50, 10) >> 16 & 0xFF) < 0x40, "column 50 already green");
    }

    /**
     * An edge exactly in the middle of the original lands exactly between two thumbnail columns. Averaging whole
     * blocks and dropping the remainder (320 decoded columns in blocks of 3 = 318) had put it a third of a pixel off.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "libjpeg-turbo", "pure Java" })
    void keepsTheGeometryExact(String decoder) throws Exception {
        BufferedImage halves = Fixtures.filled(1280, 853, Fixtures.RED, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = halves.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(640, 0, 640, 853);
        g.dispose();
        ThumbnailPipeline png = decoder.startsWith("pure")
                ? ThumbnailPipeline.create(dev.thumbnail.worker.config.DefaultSettings.pipeline().withoutTurboJpeg()
                        .withOutputFormat(Encoder.OutputFormat.PNG))
                : Pipelines.forcing(Encoder.OutputFormat.PNG);

        BufferedImage thumbnail = Pipelines.thumbnailOf(png, dir, Fixtures.jpeg(halves, false), ImageFormat.PNG, 100,
                67);

        for (int y : new int[] { 5, 33, 60 }) {
            int red = thumbnail.getRGB(49, y);
            int white = thumbnail.getRGB(50, y);
            assertTrue((red & 0xFF) < 0x40, "column 49 red: " + Integer.toHexString(red));
            assertTrue((white & 0xFF) > 0xF0 && (white >> 8 & 0xFF) > 0xF0, "column 50 white: "
                    + Integer.toHexString(white));
        }
    }

    @ParameterizedTest(name = "{0} {1}x{2} -> {4} {5}x{6}")
    @CsvSource({
            "jpg, 1920, 1280, JPEG, JPEG, 100, 67",
            "jpg, 1000, 1500, JPEG, JPEG, 67, 100",
            "png, 613, 624, PNG, PNG, 98, 100",
            "png, 500, 500, PNG, PNG, 100, 100",
            "jpg, 3000, 300, JPEG, JPEG, 100, 10",
            "png, 64, 48, PNG, PNG, 64, 48",
            "gif, 400, 300, GIF, JPEG, 100, 75",
            "bmp, 400, 300, BMP, JPEG, 100, 75",
    })
    void makesAThumbnailOfTheFittedSizeAndFormat(String extension, int width, int height, ImageFormat sourceFormat,
            ImageFormat outputFormat, int expectedWidth, int expectedHeight) throws Exception {
        Path original = write(TestImages.encoded(width, height, extension));

        ThumbnailPipeline.Result result = pipeline.run(original, 100, 100, Deadline.none());

        assertEquals(sourceFormat, result.sourceFormat());
        assertEquals(width, result.sourceWidth());
        assertEquals(height, result.sourceHeight());
        assertEquals(outputFormat, result.format());
        BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(result.bytes()));
        assertEquals(expectedWidth, thumbnail.getWidth());
        assertEquals(expectedHeight, thumbnail.getHeight());
        assertEquals(expectedWidth, result.width());
        assertEquals(expectedHeight, result.height());
    }

    @Test
    void givesTheSameThumbnailForTheSameImage() throws Exception {
        Path original = write(TestImages.encoded(800, 600, "jpg"));

        assertTrue(Arrays.equals(pipeline.run(original, 100, 100, Deadline.none()).bytes(), pipeline.run(original, 100, 100, Deadline.none()).bytes()));
    }

    @Test
    void keepsColoursThroughTheResize() throws Exception {
        Path original = write(TestImages.encoded(400, 400, "png"));

        BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(pipeline.run(original, 100, 100, Deadline.none()).bytes()));

        // TestImages paints red growing left to right and green growing top to bottom.
        int topLeft = thumbnail.getRGB(2, 2);
        int bottomRight = thumbnail.getRGB(97, 97);
        assertTrue(((topLeft >> 16) & 0xFF) < 30 && ((topLeft >> 8) & 0xFF) < 30, Integer.toHexString(topLeft));
        assertTrue(((bottomRight >> 16) & 0xFF) > 220 && ((bottomRight >> 8) & 0xFF) > 220,
                Integer.toHexString(bottomRight));
    }

    @Test
    void refusesATextFileNamedJpgAsUnsupported() throws Exception {
        Path original = write("this is not an image".getBytes(StandardCharsets.UTF_8));

        PipelineException e = assertThrows(PipelineException.class, () -> pipeline.run(original, 100, 100, Deadline.none()));
        assertEquals(ErrorCodes.UNSUPPORTED_FORMAT, e.code());
    }

    @Test
    void refusesATruncatedJpegAsCorrupt() throws Exception {
        byte[] jpeg = TestImages.encoded(640, 480, "jpg");
        Path original = write(Arrays.copyOf(jpeg, 300));

        PipelineException e = assertThrows(PipelineException.class, () -> pipeline.run(original, 100, 100, Deadline.none()));
        assertEquals(ErrorCodes.CORRUPT_IMAGE, e.code());
    }

    @Test
    void refusesAnImageOverThePixelLimitBeforeDecoding() throws Exception {
        ThumbnailPipeline strict = Pipelines.withMaxPixels(10_000);
        Path original = write(TestImages.encoded(200, 100, "png"));

        PipelineException e = assertThrows(PipelineException.class, () -> strict.run(original, 100, 100, Deadline.none()));
        assertEquals(ErrorCodes.IMAGE_TOO_LARGE, e.code());
    }

    @Test
    void refusesALosslessWebpOverTheLimitOfImagesDecodedWholeBeforeDecodingIt() throws Exception {
        // 15 KB as a file, 196 MB decoded: more than the worker's whole heap, which would end the JVM
        // (-XX:+ExitOnOutOfMemoryError) and, the request never committed, every worker that took it next.
        Path bomb = write(TestImages.losslessWebpHeader(7000, 7000));

        PipelineException e = assertThrows(PipelineException.class,
                () -> Pipelines.standard().run(bomb, 100, 100, Deadline.none()));

        assertEquals(ErrorCodes.IMAGE_TOO_LARGE, e.code());
        assertTrue(e.getMessage().contains("7000x7000") && e.getMessage().contains("10000000"), e.getMessage());
    }

    @Test
    void takesTheLowerOfTheSettingAndWhatTheHeapHoldsForImagesDecodedWhole() {
        long heap = 163_577_856; // Runtime.maxMemory() with deploy/jvm/resize-worker.options (-Xmx160m -Xmn24m)

        assertEquals(10_000_000, ThumbnailPipeline.decodedWholeLimit(10_000_000, heap, 2));
        assertEquals(10_000_000, ThumbnailPipeline.decodedWholeLimit(10_000_000, heap, 1));
        long atFour = (heap - ThumbnailPipeline.HEAP_KEPT_BYTES) / (4 * ThumbnailPipeline.DECODED_WHOLE_BYTES_PER_PIXEL);
        assertEquals(atFour, ThumbnailPipeline.decodedWholeLimit(10_000_000, heap, 4));
        assertTrue(atFour < 6_000_000, "four at once in 160 MB: " + atFour);
        assertEquals(0, ThumbnailPipeline.decodedWholeLimit(10_000_000, 32L * 1024 * 1024, 2));
    }

    private Path write(byte[] bytes) throws Exception {
        Path file = Files.createTempFile(dir, "original", "");
        Files.write(file, bytes);
        return file;
    }
}
