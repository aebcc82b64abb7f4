package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.thumbnail.imagemeta.ImageFormat;
import dev.thumbnail.testfixtures.TestImages;

class AlphaTest {

    @TempDir
    Path dir;

    @Test
    void keepsTransparencyInAPngThumbnail() throws Exception {
        BufferedImage thumbnail = run(Pipelines.standard(), Fixtures.transparentCorners(600, 400), ImageFormat.PNG);

        assertEquals(0, thumbnail.getRGB(0, 0) >>> 24, "corner transparent");
        assertEquals(255, thumbnail.getRGB(50, 33) >>> 24, "centre opaque");
    }

    @Test
    void flattensTransparencyOntoWhiteNotBlackForJpeg() throws Exception {
        BufferedImage thumbnail = run(Pipelines.forcing(Encoder.OutputFormat.JPEG),
                Fixtures.transparentCorners(600, 400), ImageFormat.JPEG);

        PixelAssertions.assertColour(0xFFFFFFFF, thumbnail.getRGB(1, 1), 8);
        PixelAssertions.assertColour(Fixtures.BLUE, thumbnail.getRGB(50, 33), 40);
    }

    @Test
    void resamplesWithoutDarkHalosAtAlphaEdges() throws Exception {
        // White disc on transparent *black*: a resampler that ignores alpha bleeds the black into the edge.
        BufferedImage disc = new BufferedImage(800, 800, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 800; y++) {
            for (int x = 0; x < 800; x++) {
                double d = Math.hypot(x - 400, y - 400);
                disc.setRGB(x, y, d < 300 ? 0xFFFFFFFF : 0x00000000);
            }
        }

        BufferedImage thumbnail = run(Pipelines.standard(), disc, ImageFormat.PNG);

        int edgePixels = 0;
        for (int y = 0; y < thumbnail.getHeight(); y++) {
            for (int x = 0; x < thumbnail.getWidth(); x++) {
                int argb = thumbnail.getRGB(x, y);
                int alpha = argb >>> 24;
                if (alpha > 16) {
                    assertTrue(PixelAssertions.red(argb) > 235, "dark halo at " + x + "," + y + ": "
                            + PixelAssertions.hex(argb));
                    if (alpha < 240) {
                        edgePixels++;
                    }
                }
            }
        }
        assertTrue(edgePixels > 20, "the edge is anti-aliased (" + edgePixels + " partly transparent pixels)");
    }

    private BufferedImage run(ThumbnailPipeline pipeline, BufferedImage source, ImageFormat expected)
            throws Exception {
        Path file = Files.createTempFile(dir, "alpha", ".png");
        Files.write(file, TestImages.encode(source, "png"));
        ThumbnailPipeline.Result result = pipeline.run(file, 100, 100, Deadline.none());
        assertEquals(expected, result.format());
        return Pipelines.decode(result.bytes());
    }
}
