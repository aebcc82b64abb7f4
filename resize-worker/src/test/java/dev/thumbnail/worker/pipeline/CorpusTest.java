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
        return rows(Pipelines.standard());
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusImageGivesTheExpectedOutcomeWithThePureJavaDecoder() throws IOException {
        return rows(Pipelines.pureJava());
    }

    private Stream<DynamicTest> rows(ThumbnailPipeline pipeline) throws IOException {
        Path corpus = corpus();
        assumeTrue(Files.isRegularFile(corpus.resolve("MANIFEST.tsv")),
                "corpus not found at " + corpus + " (set -Dcorpus.dir=...); skipping");
        List<String> lines = Files.readAllLines(corpus.resolve("MANIFEST.tsv"));
        List<String> header = List.of(lines.get(0).split("\t", -1));
        int file = header.indexOf("file");
        int expected = header.indexOf("expected");
        int width = header.indexOf("expected_thumb_w");
        int height = header.indexOf("expected_thumb_h");
        return lines.stream().skip(1).filter(line -> !line.isBlank()).map(line -> line.split("\t", -1))
                .map(row -> DynamicTest.dynamicTest(row[file] + " -> " + row[expected], () -> {
                    Path image = corpus.resolve(row[file]);
                    if (row[expected].equals("ok")) {
                        ThumbnailPipeline.Result result = pipeline.run(image, 100, 100, Deadline.none());
                        var decoded = Pipelines.decode(result.bytes());
                        assertWithinOnePixel(Integer.parseInt(row[width]), decoded.getWidth(), "width");
                        assertWithinOnePixel(Integer.parseInt(row[height]), decoded.getHeight(), "height");
                    } else {
                        PipelineException e = assertThrows(PipelineException.class,
                                () -> pipeline.run(image, 100, 100, Deadline.none()));
                        assertTrue(REJECTION_CODES.contains(e.code()), e.code() + ": " + e.getMessage());
                    }
                }));
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
