package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The libjpeg-turbo path against the pure-Java one. .ci/run installs libturbojpeg0, so CI runs these; elsewhere they
 * are skipped when the library is missing, and the other pipeline tests cover the fallback.
 */
class TurboJpegTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void requireTheLibrary() {
        assumeTrue(Pipelines.turboJpegInstalled(), "libturbojpeg not installed; skipping");
    }

    @ParameterizedTest(name = "{0}x{1} needing {2}x{3} -> {4}/8")
    @CsvSource({
            "4000, 3000, 200, 150, 1",
            "1280, 853, 200, 134, 2",
            "1020, 680, 200, 134, 2",
            "640, 427, 200, 134, 3",
            "300, 200, 200, 134, 6",
            "150, 100, 200, 134, 8",
    })
    void picksTheSmallestEighthThatKeepsTwiceTheThumbnail(int width, int height, int minWidth, int minHeight,
            int eighths) {
        assertEquals(eighths, TurboJpeg.scale(width, height, minWidth, minHeight));
    }

    @Test
    void shrinksWhileDecodingAndMatchesThePureJavaThumbnail() throws Exception {
        Path jpeg = write(Fixtures.jpeg(smoothScene(2400, 1600), false));

        BufferedImage turbo = Pipelines.decode(Pipelines.standard().run(jpeg, 100, 100, Deadline.none()).bytes());
        BufferedImage java = Pipelines.decode(Pipelines.pureJava().run(jpeg, 100, 100, Deadline.none()).bytes());

        assertEquals(java.getWidth(), turbo.getWidth());
        assertEquals(java.getHeight(), turbo.getHeight());
        double psnr = psnr(turbo, java);
        assertTrue(psnr > 30, "PSNR between the two decoders " + psnr + " dB");
    }

    @Test
    void decodesAtAnEighthForALargePhoto() throws Exception {
        Decoder decoder = Decoder.create(50_000_000, true, java.util.Optional.empty());
        Path jpeg = write(Fixtures.jpeg(smoothScene(4000, 3000), false));

        Decoded decoded = decoder.decode(jpeg, 100, 100, Deadline.none());

        assertEquals(500, decoded.pixels().getWidth());
        assertEquals(375, decoded.pixels().getHeight());
        assertEquals(4000, decoded.header().width());
    }

    static BufferedImage smoothScene(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double u = (double) x / width;
                double v = (double) y / height;
                int r = (int) (127 + 120 * Math.sin(6 * u + 2 * v));
                int g = (int) (127 + 120 * Math.cos(4 * v - 3 * u));
                int b = (int) (127 + 120 * Math.sin(5 * (u + v)));
                image.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    static double psnr(BufferedImage a, BufferedImage b) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    double d = ((p >> shift) & 0xFF) - ((q >> shift) & 0xFF);
                    sum += d * d;
                    n++;
                }
            }
        }
        double mse = sum / n;
        return mse == 0 ? 99 : 10 * Math.log10(255 * 255 / mse);
    }

    private Path write(byte[] bytes) throws Exception {
        Path file = Files.createTempFile(dir, "turbo", ".jpg");
        Files.write(file, bytes);
        return file;
    }
}
