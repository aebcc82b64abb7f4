package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.thumbnail.imagemeta.ImageFormat;
import dev.thumbnail.testfixtures.SystemPackages;

/** Both JPEG encoders write the same kind of file: baseline, 4:4:4, the configured quality. */
class EncoderTest {

    static Stream<Arguments> encoders() {
        return Stream.of(Arguments.of("ImageIO", false), Arguments.of("libjpeg-turbo", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoders")
    void writesJpegThumbnailsWithoutChromaSubsampling(String name, boolean turbo) {
        byte[] jpeg = encoder(turbo, 85).encode(TurboJpegTest.smoothScene(100, 67), ImageFormat.JPEG);

        assertEquals(List.of(0x11, 0x11, 0x11), samplingFactors(jpeg), "Y, Cb and Cr each sampled 1x1");
        BufferedImage decoded = Pipelines.decode(jpeg);
        assertEquals(100, decoded.getWidth());
        assertEquals(67, decoded.getHeight());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoders")
    void keepsColouredEdgesSharp(String name, boolean turbo) {
        // One-pixel stripes of red and blue: with 4:2:0 each 2x2 colour sample would blend them into purple.
        BufferedImage stripes = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                stripes.setRGB(x, y, x % 2 == 0 ? 0xE01010 : 0x1010E0);
            }
        }

        BufferedImage decoded = Pipelines.decode(encoder(turbo, 90).encode(stripes, ImageFormat.JPEG));

        int red = decoded.getRGB(20, 20);
        int blue = decoded.getRGB(21, 20);
        assertTrue((red >> 16 & 0xFF) > (red & 0xFF) + 100, "red stays red: " + Integer.toHexString(red));
        assertTrue((blue & 0xFF) > (blue >> 16 & 0xFF) + 100, "blue stays blue: " + Integer.toHexString(blue));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoders")
    void aLowerQualityMakesASmallerFile(String name, boolean turbo) {
        BufferedImage scene = TurboJpegTest.smoothScene(100, 67);

        int high = encoder(turbo, 95).encode(scene, ImageFormat.JPEG).length;
        int low = encoder(turbo, 40).encode(scene, ImageFormat.JPEG).length;

        assertTrue(low < high * 0.7, "quality 40: " + low + " bytes, quality 95: " + high + " bytes");
    }

    /**
     * ImageIO's disk cache is on by default and points at a directory that is gone here (a read-only or missing temp
     * directory): thumbnails are written all the same, in memory.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "JPEG", "PNG" })
    void writesWithoutImageIosDiskCache(String format, @TempDir Path temp) throws Exception {
        Path gone = Files.createDirectory(temp.resolve("cache"));
        boolean useCache = ImageIO.getUseCache();
        File cacheDirectory = ImageIO.getCacheDirectory();
        ImageIO.setUseCache(true);
        ImageIO.setCacheDirectory(gone.toFile());
        Files.delete(gone);
        byte[] written;
        try {
            written = encoder(false, 85).encode(TurboJpegTest.smoothScene(100, 67), ImageFormat.valueOf(format));
        } finally {
            ImageIO.setCacheDirectory(cacheDirectory);
            ImageIO.setUseCache(useCache);
        }
        assertEquals(100, Pipelines.decode(written).getWidth());
    }

    private static Encoder encoder(boolean turbo, int quality) {
        if (!turbo) {
            return new Encoder(quality, Encoder.OutputFormat.AUTO);
        }
        Optional<TurboJpeg> library = TurboJpeg.load(Optional.empty());
        SystemPackages.require("libturbojpeg0", "libturbojpeg.so.0", library.isPresent());
        return new Encoder(quality, Encoder.OutputFormat.AUTO, library);
    }

    /** The sampling byte (H << 4 | V) of each component in the frame header (SOF0). */
    static List<Integer> samplingFactors(byte[] jpeg) {
        int position = 2;
        while (position + 4 <= jpeg.length) {
            int marker = jpeg[position + 1] & 0xFF;
            int length = (jpeg[position + 2] & 0xFF) << 8 | jpeg[position + 3] & 0xFF;
            if (marker == 0xC0) {
                int components = jpeg[position + 9] & 0xFF;
                List<Integer> factors = new ArrayList<>();
                for (int i = 0; i < components; i++) {
                    factors.add(jpeg[position + 11 + 3 * i] & 0xFF);
                }
                return factors;
            }
            position += 2 + length;
        }
        throw new AssertionError("no baseline frame header (SOF0) found");
    }
}
