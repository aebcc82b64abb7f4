package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import dev.thumbnail.imagemeta.ImageHeaders;
import dev.thumbnail.testfixtures.TestImages;

/**
 * A 48-megapixel JPEG, decoded at concurrency 2 (run.sh's default on two cores) in a JVM with the heap and generations
 * the worker ships with (deploy/jvm/resize-worker.options, which the native worker's image also takes), on both
 * chains: libjpeg-turbo and the pure-Java fallback (the native image's). Decoding the whole raster would need 192 MB
 * per image; shrinking on load (libjpeg-turbo's scaled decode, ImageIO's source subsampling) keeps each to a few MB.
 */
class LargeImageMemoryTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = { "standard", "pure-java" })
    void makesThumbnailsOfA48MegapixelJpegUnderTheWorkersHeap(String chain) throws Exception {
        BufferedImage large = new BufferedImage(8000, 6000, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = large.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.ORANGE, 8000, 6000, Color.BLUE));
        g.fillRect(0, 0, 8000, 6000);
        g.dispose();
        Path file = dir.resolve("48mp.jpg");
        Files.write(file, Fixtures.jpeg(large, false));
        large = null;

        List<String> lines = probe(file, chain);
        assertEquals(2, lines.stream().filter(line -> line.equals("thumbnail 100x75 of 8000x6000")).count(),
                String.join("\n", lines));
    }

    /**
     * A WebP coded losslessly, or lossy with an alpha plane (itself lossless), cannot be shrunk while it decodes: at
     * the limit of such images (thumbnail.image.max-decoded-whole-pixels, 10 MP), two at once still fit in the
     * shipped heap. A 7000x7000 one ended the JVM before the limit was there (ThumbnailPipelineTest has it refused).
     */
    @ParameterizedTest
    @ValueSource(strings = { "lossless", "alpha" })
    void makesThumbnailsOfTwoWebpsDecodedWholeAtTheirLimitUnderTheWorkersHeap(String kind) throws Exception {
        int side = 3162; // 9,998,244 pixels
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.ORANGE, side, side, new Color(0, 0, 255, 96)));
        g.fillRect(0, 0, side, side);
        g.dispose();
        byte[] webp = Fixtures.cwebp(dir, TestImages.encode(image, "png"),
                kind.equals("lossless") ? List.of("-lossless", "-z", "0") : List.of("-q", "80", "-m", "0"));
        image = null;
        Path file = dir.resolve(kind + ".webp");
        Files.write(file, webp);
        assertTrue(ImageHeaders.read(ByteBuffer.wrap(webp)).decodedWhole(),
                "cwebp wrote a WebP that is decoded whole");

        List<String> lines = probe(file, "standard");

        assertEquals(2, lines.stream().filter(line -> line.equals("thumbnail 100x100 of 3162x3162")).count(),
                String.join("\n", lines));
    }

    /** Runs {@link LargeImageProbe} at concurrency 2 in a JVM with the worker's shipped heap; its output lines. */
    private List<String> probe(Path file, String chain) throws Exception {
        List<String> shipped = Files.readAllLines(Path.of("..", "deploy", "jvm", "resize-worker.options")).stream()
                .map(String::strip).filter(line -> line.startsWith("-X")).toList();
        assertTrue(shipped.stream().anyMatch(option -> option.startsWith("-Xmx")), "no -Xmx in " + shipped);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(shipped);
        command.addAll(List.of("-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true", "-cp",
                System.getProperty("java.class.path"), LargeImageProbe.class.getName(), file.toString(), "2", chain));
        Path output = Files.createTempFile(dir, "probe", ".log");
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();

        assertTrue(probe.waitFor(120, TimeUnit.SECONDS), "probe finished");
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertEquals(0, probe.exitValue(), command + "\n" + String.join("\n", lines));
        return lines;
    }
}
