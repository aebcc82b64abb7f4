package dev.thumbnail.api.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The staged upload and the bytes kept in memory for the header checks: the file holds the whole image part, the head
 * its first {@link UploadReader#HEAD_BYTES} exactly, whether the body's length was known (the head sized from it) or
 * not (a chunked body: the head grows), and whatever sizes the network hands the body in.
 */
class UploadReaderTest {

    private static final String BOUNDARY = "upload-reader-test";

    @TempDir
    Path staging;

    @ParameterizedTest(name = "{0} bytes, length known: {1}, reads of {2}")
    @CsvSource({ "1, true, 65536", "15000, false, 1000", "20000, true, 7", "20000, false, 8192",
            "300000, true, 65536", "300000, false, 8192", "262144, false, 4096" })
    void stagesThePartAndKeepsItsHead(int size, boolean lengthKnown, int chunk) throws Exception {
        byte[] image = new byte[size];
        new Random(size).nextBytes(image);
        byte[] body = body(image);
        Path file = staging.resolve("upload");

        UploadReader.Upload upload = UploadReader.read(MultipartParserTest.chunked(body, chunk), "multipart/form-data; boundary="
                + BOUNDARY, 10_000_000, lengthKnown ? body.length : -1, file, Duration.ofMinutes(1));

        assertEquals(size, upload.size());
        assertArrayEquals(image, Files.readAllBytes(file));
        ByteBuffer head = upload.head();
        assertEquals(0, head.position());
        byte[] kept = new byte[head.remaining()];
        head.get(kept);
        assertArrayEquals(Arrays.copyOf(image, Math.min(size, UploadReader.HEAD_BYTES)), kept);
        assertEquals("photo.jpg", upload.filename());
    }

    /**
     * A client that trickles its body (a byte every 20 ms here; each byte resets the connection's idle timeout) is cut
     * off at the upload's deadline, and what it sent is deleted. Before the deadline it held its request thread for as
     * long as it kept sending.
     */
    @Test
    void aBodyTrickledPastTheDeadlineIsRefusedAndItsFileDeleted() throws Exception {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image_data\"; filename=\"a.jpg\""
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        InputStream trickle = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent < head.length) {
                    return head[sent++] & 0xff;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                return 'x';
            }

            /** As a socket's stream does: what has arrived, here one byte at a time. */
            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int b = read();
                buffer[offset] = (byte) b;
                return 1;
            }
        };
        Path file = staging.resolve("upload");
        long start = System.nanoTime();

        UploadReader.UploadException refused = assertThrows(UploadReader.UploadException.class,
                () -> UploadReader.read(trickle, "multipart/form-data; boundary=" + BOUNDARY, 10_000_000, 20_000_000,
                        file, Duration.ofMillis(300)));

        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(UploadReader.UploadException.Kind.TIMED_OUT, refused.kind);
        assertTrue(took.compareTo(Duration.ofMillis(300)) >= 0 && took.compareTo(Duration.ofSeconds(3)) < 0,
                "cut off after " + took.toMillis() + " ms, for a deadline of 300 ms");
        assertFalse(Files.exists(file), "the staged part of a refused upload is deleted");
    }

    private static byte[] body(byte[] image) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image_data\"; filename=\"photo.jpg\""
                + "\r\nContent-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        body.write(image);
        body.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        return body.toByteArray();
    }
}
