package dev.thumbnail.api.task;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The multipart reader against RFC 2046's grammar: parts come out whole whatever sizes the network hands the body
 * in, and whatever near-misses of the delimiter the data holds.
 */
class MultipartParserTest {

    private static final String BOUNDARY = "AaB03x-boundary";

    @ParameterizedTest(name = "reads of at most {0} bytes")
    @ValueSource(ints = { 1, 2, 3, 7, 17, 64, 1000, 65536 })
    void readsEveryPartWhateverTheReadSizes(int chunk) throws Exception {
        byte[] binary = nearMisses(200_000);
        byte[] body = body("preamble to ignore\r\n", List.of(
                part("form-data; name=\"title\"", "a cat".getBytes(StandardCharsets.UTF_8)),
                part("form-data; name=\"image_data\"; filename=\"cat.png\"", binary),
                part("form-data; name=\"empty\"", new byte[0])), "epilogue");

        List<byte[]> bodies = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        MultipartParser parser = new MultipartParser(chunked(body, chunk), BOUNDARY);
        String header;
        while ((header = parser.nextPart()) != null) {
            headers.add(header);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long copied = parser.copyBody(out);
            assertEquals(out.size(), copied, "the length reported");
            bodies.add(out.toByteArray());
        }

        assertEquals(3, bodies.size());
        assertEquals("a cat", new String(bodies.get(0), StandardCharsets.UTF_8));
        assertArrayEquals(binary, bodies.get(1));
        assertEquals(0, bodies.get(2).length);
        assertEquals("Content-Disposition: form-data; name=\"image_data\"; filename=\"cat.png\"\r\n"
                + "Content-Type: application/octet-stream\r\n", headers.get(1));
    }

    @Test
    void allowsTransportPaddingAfterADelimiter() throws Exception {
        String body = "--" + BOUNDARY + "  \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--" + BOUNDARY
                + "--";
        MultipartParser parser = new MultipartParser(new ByteArrayInputStream(body.getBytes()), BOUNDARY);

        parser.nextPart();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parser.copyBody(out);
        assertEquals("x", out.toString());
        assertNull(parser.nextPart());
    }

    @Test
    void refusesABodyWithoutItsClosingDelimiter() throws Exception {
        byte[] body = body("", List.of(part("form-data; name=\"a\"", new byte[100])), "");
        byte[] cut = java.util.Arrays.copyOf(body, body.length - BOUNDARY.length() - 6);
        MultipartParser parser = new MultipartParser(new ByteArrayInputStream(cut), BOUNDARY);

        parser.nextPart();
        assertThrows(MultipartParser.MalformedException.class, parser::skipBody);
    }

    @Test
    void refusesABodyWithoutAnyDelimiter() {
        MultipartParser parser = new MultipartParser(new ByteArrayInputStream("just text".getBytes()), BOUNDARY);

        assertThrows(MultipartParser.MalformedException.class, parser::nextPart);
    }

    @Test
    void refusesHeadersLongerThanTheLimit() {
        String body = "--" + BOUNDARY + "\r\nX-Long: " + "y".repeat(MultipartParser.MAX_HEADER_BYTES) + "\r\n\r\n";
        MultipartParser parser = new MultipartParser(new ByteArrayInputStream(body.getBytes()), BOUNDARY);

        assertThrows(MultipartParser.MalformedException.class, parser::nextPart);
    }

    @Test
    void refusesADelimiterFollowedByNeitherCrlfNorDashes() {
        String body = "--" + BOUNDARY + "xy\r\n\r\n";
        MultipartParser parser = new MultipartParser(new ByteArrayInputStream(body.getBytes()), BOUNDARY);

        assertThrows(MultipartParser.MalformedException.class, parser::nextPart);
    }

    @Test
    void readsQuotedAndTokenParameters() {
        assertEquals(Map.of("name", "image_data", "filename", "a \"b\"; c.png"),
                UploadReader.parameters(" form-data; name=image_data; FILENAME=\"a \\\"b\\\"; c.png\""));
        assertEquals(Map.of("boundary", "----x"), UploadReader.parameters("multipart/form-data; boundary=----x"));
        assertEquals(Map.of("boundary", "a b"),
                UploadReader.parameters("multipart/form-data; charset=utf-8; boundary=\"a b\"").entrySet().stream()
                        .filter(e -> e.getKey().equals("boundary"))
                        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    /** RFC 6266: filename* (RFC 5987) before filename; raw UTF-8 in filename as browsers send it (issue 12). */
    @Test
    void takesTheExtendedFilenameFirst() {
        assertEquals("åäö.jpg", UploadReader.filename(UploadReader.parameters(
                "form-data; name=\"image_data\"; filename*=UTF-8''%C3%A5%C3%A4%C3%B6.jpg")));
        assertEquals("åäö.jpg", UploadReader.filename(UploadReader.parameters(
                "form-data; name=\"image_data\"; filename=\"aao.jpg\"; filename*=UTF-8''%C3%A5%C3%A4%C3%B6.jpg")));
        assertEquals("a+b.jpg", UploadReader.filename(UploadReader.parameters(
                "form-data; filename*=utf-8''a+b.jpg")));
        assertEquals("plain.jpg", UploadReader.filename(UploadReader.parameters(
                "form-data; filename=\"plain.jpg\"; filename*=UTF-8''%ZZbroken")), "a malformed one is passed over");
        assertEquals("a;name=other.jpg", UploadReader.filename(UploadReader.parameters(
                "form-data; filename=\"a;name=other.jpg\"; name=\"image_data\"")));
        assertEquals(null, UploadReader.filename(UploadReader.parameters("form-data; name=\"image_data\"")));
    }

    /** Random bytes salted with prefixes of the delimiter (CR, CRLF, CRLF--, CRLF--AaB...), the hardest data. */
    private static byte[] nearMisses(int length) {
        Random random = new Random(42);
        byte[] delimiter = ("\r\n--" + BOUNDARY).getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < length) {
            byte[] noise = new byte[random.nextInt(50)];
            random.nextBytes(noise);
            out.writeBytes(noise);
            int prefix = random.nextInt(delimiter.length);
            out.write(delimiter, 0, prefix);
            // Never the byte that would complete it: a whole delimiter would end the part, as it must.
            out.write(delimiter[prefix] ^ 0x55);
        }
        return out.toByteArray();
    }

    private record Part(String disposition, byte[] body) {
    }

    private static Part part(String disposition, byte[] body) {
        return new Part(disposition, body);
    }

    private static byte[] body(String preamble, List<Part> parts, String epilogue) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble.getBytes(StandardCharsets.ISO_8859_1));
        for (Part part : parts) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: " + part.disposition()
                    + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(part.body());
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(("--" + BOUNDARY + "--\r\n" + epilogue).getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** A stream that hands out at most {@code chunk} bytes per read, as a slow network does. */
    static InputStream chunked(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] buffer, int offset, int length) {
                return super.read(buffer, offset, Math.min(length, chunk));
            }
        };
    }

    @Test
    void skipsAPartItIsNotAskedToCopy() throws IOException {
        byte[] body = body("", List.of(part("form-data; name=\"a\"", "1".getBytes())), "");
        MultipartParser parser = new MultipartParser(new ByteArrayInputStream(body), BOUNDARY);
        parser.nextPart();
        parser.skipBody();
        assertNull(parser.nextPart());
    }
}
