package dev.thumbnail.worker.pipeline;

import static dev.thumbnail.worker.pipeline.PixelAssertions.assertColour;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.DeflaterOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.thumbnail.testfixtures.TestImages;

/**
 * Samples are meaningful only in their profile's colour space. The fixtures carry a linear-light RGB profile: a stored
 * value of 128 is half the light, which sRGB writes as about 188. A service that ignores the profile shows 128.
 */
class ColourProfileTest {

    private static final int LINEAR_HALF_IN_SRGB = 0xFFBCBCBC;

    private final ThumbnailPipeline pipeline = Pipelines.standard();
    private final byte[] linearProfile = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();

    @TempDir
    Path dir;

    @Test
    void convertsAPngWithAnEmbeddedProfileToSrgb() throws Exception {
        byte[] png = TestImages.pngWithChunk(TestImages.encode(grey128(), "png"), "iCCP", iccp(linearProfile));

        assertColour(LINEAR_HALF_IN_SRGB, centreOf(png), 6);
    }

    @Test
    void convertsAJpegWithAnEmbeddedProfileToSrgb() throws Exception {
        byte[] jpeg = withApp2Profile(Fixtures.jpeg(grey128(), false), linearProfile);

        assertColour(LINEAR_HALF_IN_SRGB, centreOf(jpeg), 8);
    }

    @Test
    void leavesAnImageWithoutProfileAsItIs() throws Exception {
        assertColour(0xFF808080, centreOf(TestImages.encode(grey128(), "png")), 2);
    }

    private int centreOf(byte[] bytes) throws Exception {
        Path file = Files.createTempFile(dir, "profiled", "");
        Files.write(file, bytes);
        BufferedImage thumbnail = Pipelines.decode(pipeline.run(file, 100, 100, Deadline.none()).bytes());
        return thumbnail.getRGB(thumbnail.getWidth() / 2, thumbnail.getHeight() / 2);
    }

    private static BufferedImage grey128() {
        return Fixtures.filled(300, 200, 0xFF808080, BufferedImage.TYPE_INT_RGB);
    }

    private static byte[] iccp(byte[] profile) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("Linear RGB".getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
        out.write(0);
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out)) {
            deflate.write(profile);
        }
        return out.toByteArray();
    }

    private static byte[] withApp2Profile(byte[] jpeg, byte[] profile) {
        byte[] marker = "ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1);
        int length = 2 + marker.length + 2 + profile.length;
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + 2 + length);
        out.put(jpeg, 0, 2);
        out.put((byte) 0xFF).put((byte) 0xE2).putShort((short) length).put(marker).put((byte) 1).put((byte) 1)
                .put(profile);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }
}
