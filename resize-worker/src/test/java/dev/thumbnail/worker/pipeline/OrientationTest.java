package dev.thumbnail.worker.pipeline;

import static dev.thumbnail.worker.pipeline.PixelAssertions.assertColour;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.thumbnail.testfixtures.TestImages;

/**
 * A photo viewer shows the stored pixels turned by the EXIF orientation; so must the thumbnail. The fixture's red
 * quadrant is stored top-left; the table says where each orientation displays it, and at what size.
 */
class OrientationTest {

    private final ThumbnailPipeline pipeline = Pipelines.standard();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "orientation {0}: red at {1}, {2}x{3}")
    @CsvSource({
            "1, top-left, 100, 50",
            "2, top-right, 100, 50",
            "3, bottom-right, 100, 50",
            "4, bottom-left, 100, 50",
            "5, top-left, 50, 100",
            "6, top-right, 50, 100",
            "7, bottom-right, 50, 100",
            "8, bottom-left, 50, 100",
            "0, top-left, 100, 50",
            "9, top-left, 100, 50",
    })
    void showsAJpegAsAViewerWould(int orientation, String redCorner, int width, int height) throws Exception {
        byte[] jpeg = TestImages.jpegWithExif(Fixtures.jpeg(Fixtures.quadrants(400, 200), false),
                TestImages.exifTiff(orientation));

        assertOriented(jpeg, redCorner, width, height);
    }

    @ParameterizedTest(name = "PNG eXIf orientation {0}: red at {1}")
    @CsvSource({
            "3, bottom-right, 100, 50",
            "6, top-right, 50, 100",
            "8, bottom-left, 50, 100",
    })
    void appliesThePngExifChunkToo(int orientation, String redCorner, int width, int height) throws Exception {
        byte[] png = TestImages.pngWithChunk(TestImages.encode(Fixtures.quadrants(400, 200), "png"), "eXIf",
                TestImages.exifTiff(orientation));

        assertOriented(png, redCorner, width, height);
    }

    private void assertOriented(byte[] bytes, String redCorner, int width, int height) throws Exception {
        Path file = Files.createTempFile(dir, "oriented", "");
        Files.write(file, bytes);

        ThumbnailPipeline.Result result = pipeline.run(file, 100, 100, Deadline.none());
        BufferedImage thumbnail = Pipelines.decode(result.bytes());

        assertEquals(width, thumbnail.getWidth());
        assertEquals(height, thumbnail.getHeight());
        assertEquals(width == 50 ? 200 : 400, result.sourceWidth(), "status reports the size as displayed");
        int x = redCorner.endsWith("left") ? width / 8 : width - 1 - width / 8;
        int y = redCorner.startsWith("top") ? height / 8 : height - 1 - height / 8;
        assertColour(Fixtures.RED, thumbnail.getRGB(x, y), 40);
    }
}
