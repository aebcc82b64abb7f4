package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.thumbnail.contracts.ErrorCodes;

/**
 * Runs every row of the shared real-world corpus ({@code ../shared/corpus/MANIFEST.tsv} beside the checkout) through
 * the pipeline: every {@code ok} row must give a thumbnail within 1 px of the expected size (as displayed), every
 * {@code reject} row a clean failure code. Skipped, with a message, where the corpus is not present.
 */
class CorpusTest {

    private static final Set<String> REJECTION_CODES = Set.of(ErrorCodes.UNSUPPORTED_FORMAT, ErrorCodes.CORRUPT_IMAGE,
            ErrorCodes.IMAGE_TOO_LARGE);

    @TestFactory
    Stream<DynamicTest> everyCorpusImageGivesTheExpectedOutcome() throws IOException {
        return rows(corpus(), Pipelines.standard());
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusImageGivesTheExpectedOutcomeWithThePureJavaDecoder() throws IOException {
        return rows(corpus(), Pipelines.pureJava());
    }

    /** Inputs from public bug reports of other services ({@code reported/}); their pixels are checked too. */
    @TestFactory
    Stream<DynamicTest> everyReportedImageGivesTheExpectedOutcome() throws IOException {
        return rows(corpus().resolve("reported"), Pipelines.standard());
    }

    @TestFactory
    Stream<DynamicTest> everyReportedImageGivesTheExpectedOutcomeWithThePureJavaDecoder() throws IOException {
        return rows(corpus().resolve("reported"), Pipelines.pureJava());
    }

    private Stream<DynamicTest> rows(Path corpus, ThumbnailPipeline pipeline) throws IOException {
        assumeTrue(Files.isRegularFile(corpus.resolve("MANIFEST.tsv")),
                "corpus not found at " + corpus + " (set -Dcorpus.dir=...); skipping");
        List<String> lines = Files.readAllLines(corpus.resolve("MANIFEST.tsv"));
        List<String> header = List.of(lines.get(0).split("\t", -1));
        int file = header.indexOf("file");
        int expected = header.indexOf("expected");
        int width = header.indexOf("expected_thumb_w");
        int height = header.indexOf("expected_thumb_h");
        int notes = header.indexOf("notes");
        return lines.stream().skip(1).filter(line -> !line.isBlank()).map(line -> line.split("\t", -1))
                .map(row -> DynamicTest.dynamicTest(row[file] + " -> " + row[expected], () -> {
                    Path image = corpus.resolve(row[file]);
                    if (row[expected].equals("ok")) {
                        ThumbnailPipeline.Result result = pipeline.run(image, 100, 100, Deadline.none());
                        var decoded = Pipelines.decode(result.bytes());
                        assertWithinOnePixel(Integer.parseInt(row[width]), decoded.getWidth(), "width");
                        assertWithinOnePixel(Integer.parseInt(row[height]), decoded.getHeight(), "height");
                        if (notes >= 0 && row[notes].contains("quadrants")) {
                            assertQuadrants(decoded, row[notes].contains("right half"));
                        }
                    } else {
                        PipelineException e = assertThrows(PipelineException.class,
                                () -> pipeline.run(image, 100, 100, Deadline.none()));
                        assertTrue(REJECTION_CODES.contains(e.code()), e.code() + ": " + e.getMessage());
                    }
                }));
    }

    /**
     * The corpus' quadrant pictures, upright: red top left, green top right, blue bottom left, yellow bottom right;
     * in the right half of the thumbnail only when {@code rightHalf}, the left half then background (not a colour).
     */
    private static void assertQuadrants(java.awt.image.BufferedImage image, boolean rightHalf) {
        int x0 = rightHalf ? image.getWidth() / 2 : 0;
        int w = image.getWidth() - x0;
        int h = image.getHeight();
        assertHue("red", 1, 0, 0, image.getRGB(x0 + w / 4, h / 4), "top left");
        assertHue("green", 0, 1, 0, image.getRGB(x0 + w * 3 / 4, h / 4), "top right");
        assertHue("blue", 0, 0, 1, image.getRGB(x0 + w / 4, h * 3 / 4), "bottom left");
        assertHue("yellow", 1, 1, 0, image.getRGB(x0 + w * 3 / 4, h * 3 / 4), "bottom right");
        if (rightHalf) {
            int left = image.getRGB(image.getWidth() / 4, h / 2);
            boolean background = (left >>> 24) < 16 || ((left >> 16) & 0xFF) > 230 && ((left >> 8) & 0xFF) > 230
                    && (left & 0xFF) > 230;
            assertTrue(background, "left half is background, was " + Integer.toHexString(left));
        }
    }

    private static void assertHue(String name, int r, int g, int b, int argb, String where) {
        int[] channels = { (argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF };
        int[] expected = { r, g, b };
        for (int i = 0; i < 3; i++) {
            boolean ok = expected[i] == 1 ? channels[i] > 150 : channels[i] < 100;
            assertTrue(ok, where + " should be " + name + ", was " + Integer.toHexString(argb));
        }
    }

    static Path corpus() {
        String configured = System.getProperty("corpus.dir");
        if (configured != null) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().resolve("../shared/corpus")
                .normalize();
    }

    private static void assertWithinOnePixel(int expected, int actual, String what) {
        assertTrue(Math.abs(expected - actual) <= 1, what + ": expected " + expected + " +-1, was " + actual);
    }
}
