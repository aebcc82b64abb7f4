package dev.thumbnail.worker.pipeline;

import static dev.thumbnail.worker.pipeline.PixelAssertions.assertColour;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.thumbnail.imagemeta.ImageFormat;
import dev.thumbnail.testfixtures.TestImages;

/**
 * The variants the JDK cannot write: interlaced PNG (written by {@link Fixtures#interlacedPng}) and WebP (made from
 * the tests' own PNGs by Debian's {@code cwebp}, package {@code webp}, which ./test.sh installs).
 */
class WebpAndInterlacedPngTest {

    private final ThumbnailPipeline pipeline = Pipelines.standard();

    @TempDir
    Path dir;

    @Test
    void readsAnAdam7InterlacedPng() throws Exception {
        byte[] png = Fixtures.interlacedPng(Fixtures.quadrants(613, 624));
        assertEquals(1, png[28], "the fixture's IHDR says interlaced");

        BufferedImage thumbnail = thumbnailOf(png, ImageFormat.PNG, 98, 100);

        assertColour(Fixtures.RED, thumbnail.getRGB(10, 10), 30);
        assertColour(0xFFFFFFFF, thumbnail.getRGB(90, 90), 30);
    }

    @ParameterizedTest
    @ValueSource(strings = { "lossy", "lossless" })
    void readsAnOpaqueWebpAndWritesJpeg(String kind) throws Exception {
        byte[] webp = cwebp(TestImages.encode(Fixtures.quadrants(600, 400), "png"), kind);

        BufferedImage thumbnail = thumbnailOf(webp, ImageFormat.JPEG, 100, 67);

        assertColour(Fixtures.RED, thumbnail.getRGB(10, 10), 40);
        assertColour(Fixtures.BLUE, thumbnail.getRGB(10, 60), 40);
    }

    /** Large enough to be subsampled while decoding: the whole image, not a corner of it, must reach the thumbnail. */
    @ParameterizedTest
    @ValueSource(strings = { "lossy", "lossless" })
    void shrinksALargeWebpWhole(String kind) throws Exception {
        byte[] webp = cwebp(TestImages.encode(Fixtures.quadrants(2400, 1600), "png"), kind);

        BufferedImage thumbnail = thumbnailOf(webp, ImageFormat.JPEG, 100, 67);

        assertColour(Fixtures.RED, thumbnail.getRGB(10, 10), 40);
        assertColour(Fixtures.GREEN, thumbnail.getRGB(90, 10), 40);
        assertColour(Fixtures.BLUE, thumbnail.getRGB(10, 60), 40);
        assertColour(0xFFFFFFFF, thumbnail.getRGB(90, 60), 40);
    }

    @ParameterizedTest
    @ValueSource(strings = { "lossy", "lossless" })
    void keepsTheAlphaOfAWebpInAPng(String kind) throws Exception {
        byte[] webp = cwebp(TestImages.encode(Fixtures.transparentCorners(600, 400), "png"), kind);

        BufferedImage thumbnail = thumbnailOf(webp, ImageFormat.PNG, 100, 67);

        assertEquals(0, thumbnail.getRGB(0, 0) >>> 24, "corner transparent");
        assertColour(Fixtures.BLUE, thumbnail.getRGB(50, 33), 40);
    }

    private byte[] cwebp(byte[] png, String kind) throws Exception {
        return Fixtures.cwebp(dir, png, kind.equals("lossless") ? List.of("-lossless") : List.of("-q", "90"));
    }

    private BufferedImage thumbnailOf(byte[] bytes, ImageFormat format, int width, int height) throws Exception {
        return Pipelines.thumbnailOf(pipeline, dir, bytes, format, width, height);
    }
}
