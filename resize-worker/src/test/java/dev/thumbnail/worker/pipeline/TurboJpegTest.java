package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;

import dev.thumbnail.imagemeta.ImageFormat;
import dev.thumbnail.testfixtures.SystemPackages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The libjpeg-turbo path against the pure-Java one. ./test.sh installs libturbojpeg0; without it these are skipped
 * (failed in CI), and the other pipeline tests cover the fallback.
 */
class TurboJpegTest {

    @TempDir
    Path dir;

    @BeforeEach
    void requireTheLibrary() {
        SystemPackages.require("libturbojpeg0", "libturbojpeg.so.0", Pipelines.turboJpegInstalled());
    }

    @ParameterizedTest(name = "{0}x{1} needing {2}x{3} -> {4}/8")
    @CsvSource({
            "4000, 3000, 200, 150, 1",
            "1600, 1072, 200, 134, 1",
            "1599, 1066, 200, 134, 2",
            "1280, 853, 200, 134, 2",
            "1020, 680, 200, 134, 2",
            "800, 536, 200, 134, 2",
            "799, 533, 200, 134, 4",
            "640, 427, 200, 134, 4",
            "400, 268, 200, 134, 4",
            "399, 266, 200, 134, 8",
            "300, 200, 200, 134, 8",
            "150, 100, 200, 134, 8",
            "200, 4000, 10, 200, 1",
    })
    void picksTheSmallestOfTheSimdScalesThatKeepsTwiceTheThumbnail(int width, int height, int minWidth, int minHeight,
            int eighths) {
        assertEquals(eighths, TurboJpeg.scale(width, height, minWidth, minHeight));
    }

    @Test
    void refusesALibraryWithoutTheTurboJpegFunctions() {
        // zlib loads (JNA binds functions lazily), but has none of them: the worker must take ImageIO, not fail on
        // the first JPEG.
        assertTrue(TurboJpeg.load(java.util.Optional.of("libz.so.1")).isEmpty());
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
    void decodesAtAnEighthForALargePhotoAndHandsThePixelsOnInNativeMemory() throws Exception {
        Path jpeg = write(Fixtures.jpeg(smoothScene(4000, 3000), false));

        try (Original original = Original.read(jpeg, turbo().originals());
                TurboJpeg.Decoding pixels = turbo().decode(original, new Fit(100, 75), 0).orElseThrow()) {
            assertEquals(500, pixels.width());
            assertEquals(375, pixels.height());
            assertEquals(500, pixels.extentWidth());
            // The area average reads them from there: only the reduced image reaches the heap.
            BufferedImage reduced = new Resizer().reduce(pixels, new Fit(100, 75));
            assertEquals(200, reduced.getWidth());
            assertEquals(150, reduced.getHeight());
        }
    }

    @Test
    void encodesThumbnailsAsImageIoDoesAtTheSameQuality() throws Exception {
        BufferedImage thumbnail = smoothScene(100, 67);
        Encoder turboEncoder = new Encoder(85, Encoder.OutputFormat.AUTO, java.util.Optional.of(turbo()));
        Encoder imageIoEncoder = new Encoder(85, Encoder.OutputFormat.AUTO);

        byte[] fast = turboEncoder.encode(thumbnail, ImageFormat.JPEG);
        byte[] reference = imageIoEncoder.encode(thumbnail, ImageFormat.JPEG);

        assertEquals(0xFF, fast[0] & 0xFF);
        assertEquals(0xD8, fast[1] & 0xFF, "a JPEG");
        BufferedImage decoded = Pipelines.decode(fast);
        assertEquals(100, decoded.getWidth());
        assertEquals(67, decoded.getHeight());
        assertTrue(psnr(decoded, thumbnail) > 35, "PSNR against the source " + psnr(decoded, thumbnail));
        assertTrue(psnr(decoded, Pipelines.decode(reference)) > 35, "same quality settings as ImageIO");
        assertTrue(fast.length < reference.length * 1.25 && reference.length < fast.length * 1.25,
                "sizes " + fast.length + " and " + reference.length + " bytes: same quality, both 4:4:4");
    }

    @Test
    void encodesTransparentAndOtherLayoutsToo() {
        Encoder encoder = new Encoder(85, Encoder.OutputFormat.AUTO, java.util.Optional.of(turbo()));

        BufferedImage transparent = Fixtures.transparentCorners(40, 30);
        BufferedImage bgr = Fixtures.filled(40, 30, 0xFF3366CC, BufferedImage.TYPE_3BYTE_BGR);

        BufferedImage flattened = Pipelines.decode(encoder.encode(transparent, ImageFormat.JPEG));
        assertEquals(40, flattened.getWidth());
        int corner = flattened.getRGB(0, 0);
        assertTrue(Math.min(corner >> 16 & 0xFF, Math.min(corner >> 8 & 0xFF, corner & 0xFF)) > 220,
                "transparent corners flattened onto white (not black): " + Integer.toHexString(corner));
        BufferedImage other = Pipelines.decode(encoder.encode(bgr, ImageFormat.JPEG));
        assertEquals(30, other.getHeight());
    }

    @Test
    void keepsImagesApartWhenManyAreDecodedAtOnce() throws Exception {
        Path small = write(Fixtures.jpeg(smoothScene(640, 427), false));
        Path large = write(Fixtures.jpeg(Fixtures.quadrants(2400, 1800), false));
        ThumbnailPipeline pipeline = Pipelines.standard();
        byte[] smallThumbnail = pipeline.run(small, 100, 100, Deadline.none()).bytes();
        byte[] largeThumbnail = pipeline.run(large, 100, 100, Deadline.none()).bytes();

        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                boolean even = i % 2 == 0;
                results.add(threads.submit(() -> java.util.Arrays.equals(even ? smallThumbnail : largeThumbnail,
                        pipeline.run(even ? small : large, 100, 100, Deadline.none()).bytes())));
            }
            for (java.util.concurrent.Future<Boolean> result : results) {
                assertTrue(result.get(), "every thumbnail identical to the one made alone");
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static TurboJpeg turbo() {
        return TurboJpeg.load(java.util.Optional.empty()).orElseThrow();
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
