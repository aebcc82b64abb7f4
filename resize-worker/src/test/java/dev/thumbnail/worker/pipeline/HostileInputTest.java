package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.testfixtures.TestImages;

/**
 * Broken and hostile files end in a clean failure code, or a thumbnail, without the worker allocating more than a
 * small bound. Allocation is measured on this thread (the pipeline runs on the calling thread), so the check is exact
 * and independent of timing.
 */
class HostileInputTest {

    private static final long ALLOCATION_BOUND = 64L * 1024 * 1024;

    private final ThumbnailPipeline pipeline = Pipelines.standard();

    @TempDir
    Path dir;

    @Test
    void refusesAHeaderOnlyBombBeforeDecoding() throws Exception {
        byte[] png = TestImages.encoded(10, 10, "png");
        ByteBuffer.wrap(png).putInt(16, 60_000).putInt(20, 60_000);

        PipelineException e = failure(Arrays.copyOf(png, 41));

        assertEquals(ErrorCodes.IMAGE_TOO_LARGE, e.code());
        assertTrue(e.getMessage().contains("60000x60000"), e.getMessage());
    }

    @Test
    void ignoresACompressedTextChunkThatInflatesToHundredsOfMegabytes() throws Exception {
        byte[] bomb = zTxt("Comment", 400 * 1024 * 1024);
        byte[] png = TestImages.pngWithChunk(TestImages.encoded(300, 200, "png"), "zTXt", bomb);

        ThumbnailPipeline.Result result = within(ALLOCATION_BOUND, file(png));

        assertEquals(100, result.width());
    }

    @Test
    void ignoresACompressedIccProfileBomb() throws Exception {
        byte[] bomb = zTxt("ICC", 300 * 1024 * 1024);
        byte[] png = TestImages.pngWithChunk(TestImages.encoded(300, 200, "png"), "iCCP", bomb);

        assertEquals(67, within(ALLOCATION_BOUND, file(png)).height());
    }

    @Test
    void survivesAnExifBlockThatLoopsOntoItself() throws Exception {
        byte[] tiff = TestImages.exifTiff(6);
        // IFD0's "next IFD" points back at IFD0, and its one entry claims a huge count.
        ByteBuffer.wrap(tiff).putInt(22, 8).putInt(14, Integer.MAX_VALUE);
        byte[] jpeg = TestImages.jpegWithExif(Fixtures.jpeg(Fixtures.quadrants(300, 200), false), tiff);

        ThumbnailPipeline.Result result = within(ALLOCATION_BOUND, file(jpeg));

        assertEquals(67, result.width(), "orientation 6 still applied from IFD0");
    }

    @Test
    void countsAnimationFramesAgainstThePixelLimit() throws Exception {
        BufferedImage frame = Fixtures.filled(100, 100, Fixtures.RED, BufferedImage.TYPE_INT_RGB);
        byte[] gif = Fixtures.sequence("gif", Collections.nCopies(5, frame));

        PipelineException e = assertThrows(PipelineException.class,
                () -> Pipelines.withMaxPixels(40_000).run(file(gif), 100, 100, Deadline.none()));

        assertEquals(ErrorCodes.IMAGE_TOO_LARGE, e.code());
    }

    @Test
    void refusesAJpegCutInTheMiddleOfItsScanAsCorrupt() throws Exception {
        byte[] jpeg = Fixtures.jpeg(Fixtures.quadrants(640, 480), false);

        assertEquals(ErrorCodes.CORRUPT_IMAGE, failure(Arrays.copyOf(jpeg, jpeg.length / 2)).code());
    }

    @Test
    void refusesGarbageAfterAPngSignatureAsCorrupt() throws Exception {
        byte[] png = new byte[2048];
        new java.util.Random(7).nextBytes(png);
        System.arraycopy(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A }, 0, png, 0, 8);

        assertEquals(ErrorCodes.CORRUPT_IMAGE, failure(png).code());
    }

    @Test
    void refusesEmptyAndTextFilesAsUnsupported() throws Exception {
        assertEquals(ErrorCodes.UNSUPPORTED_FORMAT, failure(new byte[0]).code());
        assertEquals(ErrorCodes.UNSUPPORTED_FORMAT, failure("GIF? no, text".getBytes()).code());
    }

    @Test
    void failsWithTimeoutOnceTheDeadlineHasPassed() throws Exception {
        Path jpeg = file(Fixtures.jpeg(Fixtures.quadrants(2000, 1500), true));

        PipelineException e = assertThrows(PipelineException.class,
                () -> pipeline.run(jpeg, 100, 100, Deadline.after(Duration.ZERO)));

        assertEquals(ErrorCodes.TIMEOUT, e.code());
    }

    @Test
    void reportsAMissingOriginalAsAStorageError() {
        PipelineException e = assertThrows(PipelineException.class,
                () -> pipeline.run(dir.resolve("gone"), 100, 100, Deadline.none()));

        assertEquals(ErrorCodes.STORAGE_ERROR, e.code());
    }

    private ThumbnailPipeline.Result within(long bytes, Path file) throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
                .getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        ThumbnailPipeline.Result result = pipeline.run(file, 100, 100, Deadline.none());
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < bytes, "allocated " + allocated / (1024 * 1024) + " MB");
        return result;
    }

    private PipelineException failure(byte[] bytes) throws Exception {
        Path file = file(bytes);
        return assertThrows(PipelineException.class, () -> pipeline.run(file, 100, 100, Deadline.none()));
    }

    private Path file(byte[] bytes) throws Exception {
        Path file = Files.createTempFile(dir, "hostile", "");
        Files.write(file, bytes);
        return file;
    }

    /** A keyword, a NUL, the compression method, then {@code size} zero bytes deflated (about 1000:1). */
    private static byte[] zTxt(String keyword, int size) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(keyword.getBytes());
        out.write(0);
        out.write(0);
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, new Deflater(9))) {
            byte[] zeros = new byte[1 << 20];
            for (int written = 0; written < size; written += zeros.length) {
                deflate.write(zeros);
            }
        }
        return out.toByteArray();
    }
}
