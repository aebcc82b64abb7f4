package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 48-megapixel JPEG, decoded at full concurrency in a JVM whose heap is capped at 256 MB: decoding the whole raster
 * would need 192 MB per image; shrinking on load keeps each decode to a few MB.
 */
class LargeImageMemoryTest {

    @TempDir
    Path dir;

    @Test
    void makesThumbnailsOfA48MegapixelJpegUnderACappedHeap() throws Exception {
        BufferedImage large = new BufferedImage(8000, 6000, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = large.createGraphics();
        g.setPaint(new GradientPaint(0, 0, Color.ORANGE, 8000, 6000, Color.BLUE));
        g.fillRect(0, 0, 8000, 6000);
        g.dispose();
        Path file = dir.resolve("48mp.jpg");
        Files.write(file, Fixtures.jpeg(large, false));
        large = null;

        Path output = dir.resolve("probe.log");
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), LargeImageProbe.class.getName(), file.toString(), "2")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();

        assertTrue(probe.waitFor(120, TimeUnit.SECONDS), "probe finished");
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        assertEquals(0, probe.exitValue(), String.join("\n", lines));
        assertEquals(2, lines.stream().filter(line -> line.equals("thumbnail 100x75 of 8000x6000")).count(),
                String.join("\n", lines));
    }
}
