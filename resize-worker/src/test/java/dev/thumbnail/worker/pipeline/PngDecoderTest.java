package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.imagemeta.ImageFormat;

/**
 * Every PNG layout, interlaced or not, every row filter, against the pixels the samples must give (computed here from
 * the samples written, not by another decoder: the JDK's reader treats grey as linear light).
 */
class PngDecoderTest {

    @TempDir
    java.nio.file.Path dir;

    static Stream<Arguments> layouts() {
        Stream.Builder<Arguments> layouts = Stream.builder();
        int[][] depths = { { 0, 1 }, { 0, 2 }, { 0, 4 }, { 0, 8 }, { 0, 16 }, { 2, 8 }, { 2, 16 }, { 3, 1 }, { 3, 2 },
                { 3, 4 }, { 3, 8 }, { 4, 8 }, { 4, 16 }, { 6, 8 }, { 6, 16 } };
        for (int[] layout : depths) {
            for (boolean interlaced : new boolean[] { false, true }) {
                for (int[] size : new int[][] { { 37, 23 }, { 1, 1 }, { 9, 3 }, { 3, 9 } }) {
                    layouts.add(Arguments.of(layout[0], layout[1], interlaced, size[0], size[1]));
                }
            }
        }
        return layouts.build();
    }

    @ParameterizedTest(name = "colour type {0}, {1} bits, interlaced {2}, {3}x{4}")
    @MethodSource("layouts")
    void decodesEveryLayoutToTheSamplesWritten(int colourType, int depth, boolean interlaced, int width, int height)
            throws Exception {
        PngWriter writer = new PngWriter(width, height, colourType, depth).idatSize(17);
        int[] palette = null;
        byte[] transparency = null;
        if (colourType == 3) {
            palette = new int[1 << depth];
            transparency = new byte[palette.length / 2 + 1];
            for (int i = 0; i < palette.length; i++) {
                palette[i] = (i * 0x3F1 + 0x102030) & 0xFFFFFF;
            }
            for (int i = 0; i < transparency.length; i++) {
                transparency[i] = (byte) (i * 37);
            }
            writer.palette(palette).transparency(transparency);
        } else if (colourType == 0 || colourType == 2) {
            // The second sample value of channel 0 (and 1, 2) is the transparent key.
            int key = sample(1, 0, 0, depth);
            int[] keys = colourType == 0 ? new int[] { key }
                    : new int[] { key, sample(1, 0, 1, depth), sample(1, 0, 2, depth) };
            transparency = new byte[2 * keys.length];
            for (int i = 0; i < keys.length; i++) {
                transparency[2 * i] = (byte) (keys[i] >> 8);
                transparency[2 * i + 1] = (byte) keys[i];
            }
            writer.transparency(transparency);
        }
        if (interlaced) {
            writer.interlaced();
        }
        int channels = writer.channels();
        PngWriter.Samples samples = (x, y) -> {
            int[] values = new int[channels];
            for (int c = 0; c < channels; c++) {
                values[c] = sample(x, y, c, depth);
            }
            return values;
        };
        byte[] png = writer.write(samples);

        int[] decoded = decode(png);

        int[] expected = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                expected[y * width + x] = expected(colourType, depth, samples.at(x, y), palette, transparency);
            }
        }
        assertArrayEquals(expected, decoded);
    }

    @Test
    void reportsAlphaOnlyWhenAPixelCanBeTransparent() throws Exception {
        byte[] opaque = new PngWriter(4, 4, 2, 8).write((x, y) -> new int[] { x, y, 0 });
        byte[] keyed = new PngWriter(4, 4, 2, 8).transparency(new byte[6]).write((x, y) -> new int[] { x, y, 0 });
        byte[] palette = new PngWriter(4, 4, 3, 8).palette(0xFF0000, 0x00FF00).write((x, y) -> new int[] { x % 2 });

        assertFalse(open(opaque).hasAlpha());
        assertTrue(open(keyed).hasAlpha());
        assertFalse(open(palette).hasAlpha());
    }

    @Test
    void returnsTheEmbeddedProfileWithoutApplyingIt() throws Exception {
        byte[] srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData();
        byte[] png = new PngWriter(4, 4, 2, 8).profile(srgb).write((x, y) -> new int[] { 10, 20, 30 });

        PngDecoder.Image image = open(png);

        assertNotNull(image.profile());
        assertArrayEquals(srgb, image.profile().getData());
        int[] row = new int[4];
        image.next(row);
        assertEquals(0xFF0A141E, row[0]);
    }

    @Test
    void ignoresAProfileThatInflatesPastTheCap() throws Exception {
        byte[] bomb = new byte[PngDecoder.MAX_PROFILE_BYTES + 1024];
        byte[] png = new PngWriter(4, 4, 2, 8).profile(bomb).write((x, y) -> new int[] { 10, 20, 30 });

        assertNull(open(png).profile());
    }

    @Test
    void refusesTruncatedImageDataAsCorrupt() throws Exception {
        byte[] png = new PngWriter(64, 64, 2, 8).idatSize(100_000).write((x, y) -> new int[] { x, y, x ^ y });
        byte[] truncated = Arrays.copyOf(png, png.length / 2);

        PipelineException e = assertThrows(PipelineException.class, () -> decode(truncated));

        assertEquals(ErrorCodes.CORRUPT_IMAGE, e.code());
    }

    /**
     * A second IHDR saying 100,000,000 x 1 behind a first one saying 1 x 1: the API and the limits read the first; a
     * decoder that took the last would allocate a 400 MB row on a 160 MB heap, and -XX:+ExitOnOutOfMemoryError would
     * end every worker that took the redelivered request in turn.
     */
    @Test
    void refusesASecondHeaderChunkAsCorrupt() throws Exception {
        byte[] png = new PngWriter(1, 1, 6, 8).write((x, y) -> new int[] { 1, 2, 3, 255 });
        ByteBuffer second = ByteBuffer.allocate(25);
        second.putInt(13).put("IHDR".getBytes()).putInt(100_000_000).putInt(1).put((byte) 8).put((byte) 6)
                .put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
        byte[] twice = new byte[png.length + 25];
        System.arraycopy(png, 0, twice, 0, 8 + 25);
        System.arraycopy(second.array(), 0, twice, 8 + 25, 25);
        System.arraycopy(png, 8 + 25, twice, 8 + 25 + 25, png.length - 8 - 25);

        PipelineException e = assertThrows(PipelineException.class, () -> open(twice));
        assertEquals(ErrorCodes.CORRUPT_IMAGE, e.code());
        // The API refuses it at upload too; a request queued before it did (or by an older API) still ends here.
        assertThrows(dev.thumbnail.imagemeta.CorruptImageException.class,
                () -> dev.thumbnail.imagemeta.ImageHeaders.read(ByteBuffer.wrap(twice)));
        PipelineException whole = assertThrows(PipelineException.class,
                () -> Pipelines.thumbnailOf(Pipelines.standard(), dir, twice, ImageFormat.PNG, 1, 1));
        assertEquals(ErrorCodes.CORRUPT_IMAGE, whole.code());
    }

    @Test
    void refusesAnUnknownRowFilterAsCorrupt() throws Exception {
        byte[] png = new PngWriter(8, 8, 0, 8).write((x, y) -> new int[] { x });
        // Re-compress the same rows with filter type 7 on the first row.
        byte[] raw = new byte[8 * 9];
        raw[0] = 7;
        byte[] broken = withImageData(png, raw);

        PipelineException e = assertThrows(PipelineException.class, () -> decode(broken));

        assertEquals(ErrorCodes.CORRUPT_IMAGE, e.code());
    }

    @Test
    void refusesAColourTypeTheSpecificationDoesNotDefineAsUnsupported() {
        byte[] png = new PngWriter(4, 4, 2, 8).write((x, y) -> new int[] { 1, 2, 3 });
        png[8 + 8 + 9] = 5; // IHDR colour type 5 (CRCs are not checked)

        PipelineException e = assertThrows(PipelineException.class, () -> open(png));

        assertEquals(ErrorCodes.UNSUPPORTED_FORMAT, e.code());
    }

    /** A sample of channel {@code c} at (x, y), spread over the bit depth's whole range. */
    private static int sample(int x, int y, int c, int depth) {
        int max = (1 << depth) - 1;
        return (int) (((x * 7919L + y * 104729L + c * 1299709L) * 2654435761L >>> 7) % (max + 1));
    }

    private static int expected(int colourType, int depth, int[] s, int[] palette, byte[] transparency) {
        return switch (colourType) {
            case 3 -> {
                int index = s[0];
                int alpha = index < transparency.length ? transparency[index] & 0xFF : 255;
                yield alpha << 24 | palette[index];
            }
            case 0 -> {
                int grey = to8(s[0], depth);
                boolean transparent = s[0] == key(transparency, 0);
                yield (transparent ? 0 : 0xFF000000) | grey * 0x010101;
            }
            case 2 -> {
                boolean transparent = s[0] == key(transparency, 0) && s[1] == key(transparency, 1)
                        && s[2] == key(transparency, 2);
                yield (transparent ? 0 : 0xFF000000) | to8(s[0], depth) << 16 | to8(s[1], depth) << 8
                        | to8(s[2], depth);
            }
            case 4 -> to8(s[1], depth) << 24 | to8(s[0], depth) * 0x010101;
            default -> to8(s[3], depth) << 24 | to8(s[0], depth) << 16 | to8(s[1], depth) << 8 | to8(s[2], depth);
        };
    }

    private static int key(byte[] transparency, int i) {
        return (transparency[2 * i] & 0xFF) << 8 | transparency[2 * i + 1] & 0xFF;
    }

    private static int to8(int sample, int depth) {
        return (int) Math.round(sample * 255.0 / ((1 << depth) - 1));
    }

    private static PngDecoder.Image open(byte[] png) throws PipelineException {
        return PngDecoder.open(ByteBuffer.wrap(png));
    }

    private static int[] decode(byte[] png) throws PipelineException {
        try (PngDecoder.Image image = open(png)) {
            if (image.interlaced()) {
                return image.all(Deadline.none());
            }
            int[] pixels = new int[image.width() * image.height()];
            int[] row = new int[image.width()];
            for (int y = 0; y < image.height(); y++) {
                image.next(row);
                System.arraycopy(row, 0, pixels, y * image.width(), row.length);
            }
            return pixels;
        }
    }

    /** {@code png} with its image data replaced by {@code raw} (filter bytes and rows), compressed. */
    private static byte[] withImageData(byte[] png, byte[] raw) {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater();
        deflater.setInput(raw);
        deflater.finish();
        byte[] data = new byte[1024];
        int length = deflater.deflate(data);
        deflater.end();
        ByteBuffer out = ByteBuffer.allocate(8 + 25 + 12 + length + 12);
        out.put(png, 0, 8 + 25);
        out.putInt(length).put("IDAT".getBytes()).put(data, 0, length).putInt(0);
        out.putInt(0).put("IEND".getBytes()).putInt(0);
        return out.array();
    }
}
