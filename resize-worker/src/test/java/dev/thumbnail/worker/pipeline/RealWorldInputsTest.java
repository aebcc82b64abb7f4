package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.testfixtures.SystemPackages;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.imagemeta.ImageFormat;
import dev.thumbnail.imagemeta.JpegScans;

/**
 * The kinds of real-world input of issue 12, each made here (the shared corpus' {@code reported/} files are run by
 * {@link CorpusTest}): a decoder's refusal is not a verdict, a warning is not damage, the first EXIF segment counts,
 * a GIF frame sits at its offset on the logical screen, and the deadline holds on a JPEG of thousands of scans. Each
 * on both decoder chains: with libjpeg-turbo first (the worker's default) and the pure-Java one.
 */
class RealWorldInputsTest {

    @TempDir
    Path dir;

    static Stream<Arguments> pipelines() {
        return Stream.of(Arguments.of("libjpeg-turbo first", Pipelines.standard()),
                Arguments.of("pure Java", Pipelines.pureJava()));
    }

    private static Path cjpeg() {
        return SystemPackages.requireProgram("libjpeg-turbo-progs", "/usr/bin/cjpeg");
    }

    // ---- 1. a refusal falls back; the verdict says what happened -------------------------------------------------

    /** 4:1:0 and 4:4:1 luma sampling: libjpeg-turbo's TurboJPEG API cannot name it and refuses; the JDK reads it. */
    @ParameterizedTest(name = "{0}, sampling {2}")
    @MethodSource("unusualSamplings")
    void decodesUnusualChromaSubsampling(String chain, ThumbnailPipeline pipeline, String sampling) throws Exception {
        byte[] jpeg = run(List.of(cjpeg().toString(), "-quality", "92", "-sample", sampling),
                ppm(Fixtures.quadrants(320, 240)));
        BufferedImage thumbnail = Pipelines.thumbnailOf(pipeline, dir, jpeg, ImageFormat.JPEG, 100, 75);
        assertQuadrants(thumbnail, 0, 0, 100, 75);
    }

    static Stream<Arguments> unusualSamplings() {
        return pipelines().flatMap(p -> Stream.of("4x2,1x1,1x1", "1x4,1x1,1x1", "3x1,1x1,1x1")
                .map(sampling -> Arguments.of(p.get()[0], p.get()[1], sampling)));
    }

    /** Arithmetic coding (SOF9), which Pillow and libjpeg-turbo read: decoded on both chains. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void decodesArithmeticCoding(String chain, ThumbnailPipeline pipeline) throws Exception {
        byte[] jpeg = run(List.of(cjpeg().toString(), "-arithmetic"), ppm(Fixtures.quadrants(320, 240)));
        assertEquals(0xC9, frameMarker(jpeg), "an arithmetic-coded frame");
        assertQuadrants(Pipelines.thumbnailOf(pipeline, dir, jpeg, ImageFormat.JPEG, 100, 75), 0, 0, 100, 75);
    }

    /** A valid 12-bit JPEG: refused by the 8-bit decoders, which is no damage. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void callsATwelveBitJpegUnsupportedNotCorrupt(String chain, ThumbnailPipeline pipeline) throws Exception {
        byte[] jpeg = ProgressiveJpegWriter.write(64, 48, 12, 0);
        PipelineException e = assertThrows(PipelineException.class,
                () -> pipeline.run(file(jpeg), 100, 100, Deadline.none()));
        assertEquals(ErrorCodes.UNSUPPORTED_FORMAT, e.code(), e.getMessage());
        assertEquals(ErrorCodes.publicMessage(ErrorCodes.UNSUPPORTED_FORMAT), e.getMessage(),
                "the service's own sentence; the decoder's words stay in the cause, for the log");
    }

    // ---- 2. a warning about a complete image is not damage ------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void decodesAJpegWithStrayBytesBeforeItsEndMarker(String chain, ThumbnailPipeline pipeline) throws Exception {
        byte[] jpeg = Fixtures.jpeg(Fixtures.quadrants(300, 200), false);
        byte[] stray = new byte[jpeg.length + 59];
        System.arraycopy(jpeg, 0, stray, 0, jpeg.length - 2);
        for (int i = 0; i < 59; i++) {
            stray[jpeg.length - 2 + i] = (byte) (0x20 + i);
        }
        stray[stray.length - 2] = (byte) 0xFF;
        stray[stray.length - 1] = (byte) 0xD9;
        assertQuadrants(Pipelines.thumbnailOf(pipeline, dir, stray, ImageFormat.JPEG, 100, 67), 0, 0, 100, 67);
    }

    /**
     * An ICC profile split over APP2 chunks of which one is missing (TwelveMonkeys PR 1281, Pillow PR 4613): a
     * metadata fault, not damage. The profile is dropped and every pixel decoded, on both chains.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void decodesAJpegWhoseIccChunksAreIncomplete(String chain, ThumbnailPipeline pipeline) throws Exception {
        byte[] jpeg = Fixtures.jpeg(Fixtures.quadrants(300, 200), false);
        byte[] profile = java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_sRGB).getData();
        byte[] half = java.util.Arrays.copyOf(profile, profile.length / 2);
        ByteArrayOutputStream app2 = new ByteArrayOutputStream();
        app2.write(0xFF);
        app2.write(0xE2);
        int length = 2 + 12 + 2 + half.length;
        app2.write(length >> 8);
        app2.write(length);
        app2.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1));
        app2.write(1); // chunk 1
        app2.write(2); // of 2: the second never comes
        app2.writeBytes(half);
        byte[] broken = new byte[jpeg.length + app2.size()];
        System.arraycopy(jpeg, 0, broken, 0, 2);
        System.arraycopy(app2.toByteArray(), 0, broken, 2, app2.size());
        System.arraycopy(jpeg, 2, broken, 2 + app2.size(), jpeg.length - 2);
        assertQuadrants(Pipelines.thumbnailOf(pipeline, dir, broken, ImageFormat.JPEG, 100, 67), 0, 0, 100, 67);
    }

    /** The 26-byte "tiniest GIF" placeholder (Pillow 8921), which the JDK's reader cannot read: a clean verdict. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void refusesTheTiniestGifCleanly(String chain, ThumbnailPipeline pipeline) throws Exception {
        byte[] gif = { 'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0, 0, 0, ',', 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 0, ';' };
        PipelineException e = assertThrows(PipelineException.class,
                () -> pipeline.run(file(gif), 100, 100, Deadline.none()));
        assertEquals(ErrorCodes.CORRUPT_IMAGE, e.code(), e.getMessage());
        assertEquals(ErrorCodes.publicMessage(ErrorCodes.CORRUPT_IMAGE), e.getMessage());
    }

    /** Extreme aspect ratios (sharp 1003, 767): the short side keeps at least one pixel. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void keepsOnePixelOnTheShortSideOfAnExtremeAspectRatio(String chain, ThumbnailPipeline pipeline)
            throws Exception {
        Pipelines.thumbnailOf(pipeline, dir, TestImages.encoded(4000, 1, "png"), ImageFormat.PNG, 100, 1);
        Pipelines.thumbnailOf(pipeline, dir, TestImages.encoded(1, 4000, "png"), ImageFormat.PNG, 1, 100);
        Pipelines.thumbnailOf(pipeline, dir, TestImages.encoded(20000, 3, "png"), ImageFormat.PNG, 100, 1);
        Pipelines.thumbnailOf(pipeline, dir, TestImages.encoded(4000, 8, "jpg"), ImageFormat.JPEG, 100, 1);
    }

    // ---- 3. the first EXIF segment counts ---------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void usesTheFirstOfTwoExifSegments(String chain, ThumbnailPipeline pipeline) throws Exception {
        // Stored 300x200 turned 90 degrees anticlockwise; Orientation 6 turns it back. A later segment says 1.
        BufferedImage upright = Fixtures.quadrants(200, 300);
        BufferedImage stored = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 200; x++) {
                stored.setRGB(y, 199 - x, upright.getRGB(x, y));
            }
        }
        byte[] plain = Fixtures.jpeg(stored, false);
        byte[] second = TestImages.jpegWithExif(plain, TestImages.exifTiff(1));
        byte[] both = TestImages.jpegWithExif(second, TestImages.exifTiff(6)); // inserted first, so read first
        assertQuadrants(Pipelines.thumbnailOf(pipeline, dir, both, ImageFormat.JPEG, 67, 100), 0, 0, 67, 100);
    }

    // ---- 4. GIF frames on the logical screen ------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void drawsTheFirstGifFrameAtItsOffsetOnTheLogicalScreen(String chain, ThumbnailPipeline pipeline)
            throws Exception {
        // 200x100 screen; the first frame (80x40 quadrants) at left 100, top 50; a second frame elsewhere.
        byte[] gif = gif(200, 100, List.of(new Frame(Fixtures.quadrants(80, 40), 100, 50),
                new Frame(Fixtures.filled(40, 40, Fixtures.RED, BufferedImage.TYPE_INT_RGB), 0, 0)));
        BufferedImage thumbnail = Pipelines.thumbnailOf(pipeline, dir, gif, ImageFormat.PNG, 100, 50);
        // The frame lands at (50, 25)-(90, 45) of the thumbnail; the rest is transparent.
        assertQuadrants(thumbnail, 50, 25, 40, 20);
        assertEquals(0, thumbnail.getRGB(10, 10) >>> 24, "unpainted screen is transparent");
        assertEquals(0, thumbnail.getRGB(95, 10) >>> 24, "unpainted screen is transparent");
        assertEquals(0, thumbnail.getRGB(25, 40) >>> 24, "the second frame is not the picture");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void keepsTheScreenSizeWhenALaterFrameIsLarger(String chain, ThumbnailPipeline pipeline) throws Exception {
        byte[] gif = gif(150, 100, List.of(new Frame(Fixtures.quadrants(150, 100), 0, 0),
                new Frame(Fixtures.filled(300, 100, Fixtures.BLUE, BufferedImage.TYPE_INT_RGB), 0, 0)));
        ThumbnailPipeline.Result result = pipeline.run(file(gif), 100, 100, Deadline.none());
        assertEquals(150, result.sourceWidth());
        assertEquals(100, result.sourceHeight());
        assertEquals(100, result.width());
        assertEquals(67, result.height());
    }

    // ---- 5. the deadline holds ----------------------------------------------------------------------------------

    /**
     * A 16-megapixel progressive JPEG of 883 scans in about 60 KB ({@link ProgressiveJpegWriter}), which takes a
     * decoder 11-13 s here: refused before any decoder runs, over libjpeg-turbo's limit of 500 scans, on both chains.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void refusesAJpegOfThousandsOfScansBeforeDecodingIt(String chain, ThumbnailPipeline pipeline) throws Exception {
        byte[] jpeg = ProgressiveJpegWriter.write(4096, 4096, 8, 13);
        assertEquals(883, JpegScans.count(ByteBuffer.wrap(jpeg), Integer.MAX_VALUE));
        assertTrue(jpeg.length < 100_000, jpeg.length + " bytes");
        long start = System.nanoTime();
        PipelineException e = assertThrows(PipelineException.class,
                () -> pipeline.run(file(jpeg), 100, 100, Deadline.after(Duration.ofSeconds(30))));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(ErrorCodes.IMAGE_TOO_LARGE, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("500 scans"), e.getMessage());
        assertTrue(tookMillis < 500, "refused after " + tookMillis + " ms");
    }

    /**
     * Under the scan limit but slow: 379 scans over 8 megapixels take the JDK's reader 1.7-2.6 s here. With one
     * second allowed the task ends about when its deadline passes: the ImageIO reader is aborted from its own
     * listeners (between passes, so a smaller image than the 16 MP of the scan-bomb test keeps the overshoot well
     * inside the second allowed on a busy machine); the libjpeg-turbo call, which cannot be interrupted, takes under
     * half a second for it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pipelines")
    void endsASlowProgressiveJpegAtItsDeadline(String chain, ThumbnailPipeline pipeline) throws Exception {
        byte[] jpeg = ProgressiveJpegWriter.write(2896, 2896, 8, 5);
        Path file = file(jpeg);
        Duration budget = Duration.ofSeconds(1);
        long start = System.nanoTime();
        try {
            pipeline.run(file, 100, 100, Deadline.after(budget));
            assertEquals("libjpeg-turbo first", chain, "the JDK's reader cannot decode it within a second");
        } catch (PipelineException e) {
            assertEquals(ErrorCodes.TIMEOUT, e.code(), e.getMessage());
        }
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis < budget.toMillis() + 1_000, "ended " + tookMillis + " ms after it started");
    }

    @Test
    void countsScansOnlyWhereThereCanBeMany() {
        BufferedImage image = Fixtures.quadrants(64, 48);
        assertEquals(1, JpegScans.count(ByteBuffer.wrap(Fixtures.jpeg(image, false)), 500), "sequential: not walked");
        assertEquals(10, JpegScans.count(ByteBuffer.wrap(Fixtures.jpeg(image, true)), 500), "libjpeg's default script");
        assertEquals(64, JpegScans.count(ByteBuffer.wrap(ProgressiveJpegWriter.write(64, 48, 8, 0)), 500));
        assertEquals(6, JpegScans.count(ByteBuffer.wrap(ProgressiveJpegWriter.write(64, 48, 8, 0)), 5), "stops");
        // Junk between segments, which libjpeg skips with a warning, hides no scan from the count.
        byte[] plain = ProgressiveJpegWriter.write(64, 48, 8, 0);
        byte[] junk = new byte[plain.length + 3];
        System.arraycopy(plain, 0, junk, 0, 2);
        junk[2] = 0x00;
        junk[3] = 0x42;
        junk[4] = 0x13;
        System.arraycopy(plain, 2, junk, 5, plain.length - 2);
        assertEquals(64, JpegScans.count(ByteBuffer.wrap(junk), 500), "junk before the first segment");
        int truncated = JpegScans.count(ByteBuffer.wrap(java.util.Arrays.copyOf(plain, 300)), 500);
        assertTrue(truncated > 0 && truncated < 64, "a truncated file counts what is there: " + truncated);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private Path file(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(dir, "image", "");
        Files.write(file, bytes);
        return file;
    }

    /** Red top-left, green top-right, blue bottom-left, white bottom-right, sampled at each quarter's centre. */
    static void assertQuadrants(BufferedImage image, int x, int y, int width, int height) {
        assertColour(Fixtures.RED, image.getRGB(x + width / 4, y + height / 4), "top left");
        assertColour(Fixtures.GREEN, image.getRGB(x + width * 3 / 4, y + height / 4), "top right");
        assertColour(Fixtures.BLUE, image.getRGB(x + width / 4, y + height * 3 / 4), "bottom left");
        assertColour(0xFFFFFFFF, image.getRGB(x + width * 3 / 4, y + height * 3 / 4), "bottom right");
    }

    private static void assertColour(int expected, int actual, String where) {
        PixelAssertions.assertColour(expected, actual, 40, where);
        assertTrue((actual >>> 24) > 200, where + ": opaque, was " + PixelAssertions.hex(actual));
    }

    private static byte[] ppm(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("P6\n" + image.getWidth() + " " + image.getHeight() + "\n255\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                out.write(rgb >> 16);
                out.write(rgb >> 8);
                out.write(rgb);
            }
        }
        return out.toByteArray();
    }

    /** Runs a libjpeg-turbo tool with {@code input} on its standard input; its standard output. */
    private byte[] run(List<String> command, byte[] input) throws Exception {
        Path in = file(input);
        Path out = Files.createTempFile(dir, "out", "");
        Process process = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), command + " did not finish");
        assertEquals(0, process.exitValue(), command + " failed");
        return Files.readAllBytes(out);
    }

    private static int frameMarker(byte[] jpeg) {
        for (int i = 2; i + 3 < jpeg.length;) {
            int marker = jpeg[i + 1] & 0xFF;
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return marker;
            }
            i += 2 + (((jpeg[i + 2] & 0xFF) << 8) | (jpeg[i + 3] & 0xFF));
        }
        return -1;
    }

    private record Frame(BufferedImage image, int left, int top) {
    }

    /** A GIF of the given logical screen size with each frame at its offset (the JDK's writer, metadata set). */
    private static byte[] gif(int screenWidth, int screenHeight, List<Frame> frames) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            IIOMetadata stream = writer.getDefaultStreamMetadata(null);
            IIOMetadataNode streamTree = new IIOMetadataNode("javax_imageio_gif_stream_1.0");
            IIOMetadataNode screen = new IIOMetadataNode("LogicalScreenDescriptor");
            screen.setAttribute("logicalScreenWidth", Integer.toString(screenWidth));
            screen.setAttribute("logicalScreenHeight", Integer.toString(screenHeight));
            screen.setAttribute("colorResolution", "8");
            screen.setAttribute("pixelAspectRatio", "0");
            streamTree.appendChild(screen);
            stream.mergeTree("javax_imageio_gif_stream_1.0", streamTree);
            writer.prepareWriteSequence(stream);
            List<IIOImage> images = new ArrayList<>();
            for (Frame frame : frames) {
                IIOMetadata metadata = writer.getDefaultImageMetadata(
                        ImageTypeSpecifier.createFromRenderedImage(frame.image()), null);
                IIOMetadataNode tree = new IIOMetadataNode("javax_imageio_gif_image_1.0");
                IIOMetadataNode descriptor = new IIOMetadataNode("ImageDescriptor");
                descriptor.setAttribute("imageLeftPosition", Integer.toString(frame.left()));
                descriptor.setAttribute("imageTopPosition", Integer.toString(frame.top()));
                descriptor.setAttribute("imageWidth", Integer.toString(frame.image().getWidth()));
                descriptor.setAttribute("imageHeight", Integer.toString(frame.image().getHeight()));
                descriptor.setAttribute("interlaceFlag", "FALSE");
                tree.appendChild(descriptor);
                metadata.mergeTree("javax_imageio_gif_image_1.0", tree);
                images.add(new IIOImage(frame.image(), null, metadata));
            }
            for (IIOImage image : images) {
                writer.writeToSequence(image, null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        byte[] gif = bytes.toByteArray();
        assertEquals(screenWidth, (gif[6] & 0xFF) | (gif[7] & 0xFF) << 8, "logical screen width written");
        return gif;
    }
}
