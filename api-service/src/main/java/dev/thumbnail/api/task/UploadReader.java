package dev.thumbnail.api.task;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@code multipart/form-data} body as it arrives ({@link MultipartParser}) and keeps the one part that
 * matters, the image: streamed to a staging file in 64 KB writes, its first {@link #HEAD_BYTES} also kept in memory
 * for the header checks; every other part is read past.
 * <p>
 * Which part is the image: the parts named {@code image_data}; the first that is a file (has a {@code filename}), else
 * the first at all (so that {@code curl -F image_data=<photo.jpg}, a field with the file's bytes, works too). A text
 * field with that name before or after the file part is ignored, whatever the order (issue 12).
 */
final class UploadReader {

    static final String FIELD = "image_data";
    /** What header readers see without opening the staged file again: every format's header fits in practice. */
    static final int HEAD_BYTES = 256 * 1024;
    private static final int WRITE_BUFFER = 64 * 1024;
    /** The memory first given to the head when the body's length is not known; it doubles up to HEAD_BYTES. */
    private static final int FIRST_HEAD_BYTES = 16 * 1024;
    /** RFC 2046: a boundary is 1 to 70 characters. */
    private static final int MAX_BOUNDARY = 70;

    private UploadReader() {
    }

    /** The image part, staged. {@code head} holds its first bytes (all of them when it is small), from position 0. */
    record Upload(Path file, long size, ByteBuffer head, String filename) {
    }

    /** Why a body could not be read as an upload. */
    static final class UploadException extends Exception {
        enum Kind {
            NOT_MULTIPART, MALFORMED, NO_IMAGE, TOO_LARGE, TIMED_OUT
        }

        final Kind kind;

        UploadException(Kind kind, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
        }
    }

    /** The staging file could not be written: the service's side (a full or read-only disk), not the client's. */
    static final class StagingException extends IOException {
        StagingException(IOException cause) {
            super("the staging file cannot be written: " + cause.getMessage(), cause);
        }
    }

    /**
     * Reads {@code body} to its end. The image goes to {@code staging}, created here; it is deleted again when this
     * throws.
     *
     * @param maxBytes the most the whole body may hold
     * @param expectedBytes the body's Content-Length, or -1 when it is not known (chunked): sizes the memory kept for
     *                      the image's first bytes, so that it is allocated once
     * @param timeout the longest the body may take to arrive, from now; checked before each read and when bytes
     *                arrive, so a read that blocks is bounded by the connection's idle timeout, not by this
     * @throws UploadException   for a body that is not a multipart form, is malformed, over {@code maxBytes}, has
     *                           no {@code image_data} part, or did not arrive within {@code timeout}
     * @throws StagingException  when the staging file cannot be written
     * @throws IOException       when the client's body cannot be read (the connection ended or stalled)
     */
    static Upload read(InputStream body, String contentType, long maxBytes, long expectedBytes, Path staging,
            Duration timeout) throws UploadException, IOException {
        MultipartParser parts = new MultipartParser(new Limited(body, maxBytes, System.nanoTime() + timeout.toNanos()),
                boundary(contentType));
        Candidate chosen = null;
        try {
            String headers;
            while ((headers = parts.nextPart()) != null) {
                Map<String, String> disposition = disposition(headers);
                boolean image = FIELD.equals(disposition.get("name"));
                boolean file = disposition.containsKey("filename") || disposition.containsKey("filename*");
                if (image && (chosen == null || (file && !chosen.file))) {
                    chosen = stage(parts, staging, file, filename(disposition), expectedBytes);
                } else {
                    parts.skipBody();
                }
            }
        } catch (MultipartParser.MalformedException e) {
            deleteQuietly(staging);
            throw new UploadException(UploadException.Kind.MALFORMED, e.getMessage(), e);
        } catch (TooLargeException e) {
            deleteQuietly(staging);
            throw new UploadException(UploadException.Kind.TOO_LARGE, "over " + maxBytes + " bytes", e);
        } catch (TimedOutException e) {
            deleteQuietly(staging);
            throw new UploadException(UploadException.Kind.TIMED_OUT, "not complete within " + timeout.toSeconds()
                    + " s", e);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(staging);
            throw e;
        }
        if (chosen == null) {
            deleteQuietly(staging);
            throw new UploadException(UploadException.Kind.NO_IMAGE, "no part named " + FIELD, null);
        }
        return new Upload(staging, chosen.size, chosen.head, chosen.filename);
    }

    private record Candidate(boolean file, String filename, long size, ByteBuffer head) {
    }

    /** Writes the current part's body to {@code staging}, replacing what an earlier candidate left there. */
    private static Candidate stage(MultipartParser parts, Path staging, boolean file, String filename,
            long expectedBytes) throws IOException {
        OutputStream out;
        try {
            out = Files.newOutputStream(staging, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StagingException(e);
        }
        int headCapacity = (int) (expectedBytes > 0 ? Math.min(HEAD_BYTES, expectedBytes) : FIRST_HEAD_BYTES);
        try (HeadKeeper keeper = new HeadKeeper(new BufferedOutputStream(out, WRITE_BUFFER), headCapacity)) {
            long size = parts.copyBody(keeper);
            return new Candidate(file, filename, size, keeper.head());
        }
    }

    static String boundary(String contentType) throws UploadException {
        if (contentType == null
                || !contentType.strip().toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw new UploadException(UploadException.Kind.NOT_MULTIPART, "not multipart/form-data", null);
        }
        String boundary = parameters(contentType).get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw new UploadException(UploadException.Kind.MALFORMED, "the multipart body has no valid boundary", null);
        }
        return boundary;
    }

    /**
     * The part's file name: {@code filename*} (RFC 5987's {@code UTF-8''%C3%A5.jpg}, which some clients send although
     * RFC 7578 advises against it) before {@code filename}, as RFC 6266 section 4.3 has it; raw UTF-8 in {@code filename}
     * as browsers send it. Null when there is none or it cannot be decoded.
     */
    static String filename(Map<String, String> disposition) {
        String extended = disposition.get("filename*");
        if (extended != null) {
            int quote = extended.indexOf('\'', extended.indexOf('\'') + 1);
            String charset = extended.indexOf('\'') > 0 ? extended.substring(0, extended.indexOf('\'')) : "";
            if (quote > 0 && (charset.equalsIgnoreCase("UTF-8") || charset.equalsIgnoreCase("ISO-8859-1"))) {
                try {
                    return java.net.URLDecoder.decode(extended.substring(quote + 1).replace("+", "%2B"),
                            java.nio.charset.Charset.forName(charset));
                } catch (IllegalArgumentException e) {
                    // a malformed escape: fall back to the plain parameter
                }
            }
        }
        return disposition.get("filename");
    }

    /** The parameters of a part's {@code Content-Disposition} header ({@code name}, {@code filename}). */
    static Map<String, String> disposition(String headers) {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Content-Disposition")) {
                return parameters(line.substring(colon + 1));
            }
        }
        return Map.of();
    }

    /**
     * The {@code ;}-separated {@code name=value} parameters of a header value, names in lower case, values unquoted
     * (RFC 9110 section 5.6.6: token or quoted-string; a backslash escapes a quote only); the leading value itself is
 * skipped.
     */
    static Map<String, String> parameters(String header) {
        Map<String, String> parameters = new HashMap<>();
        int i = header.indexOf(';');
        while (i >= 0 && i < header.length()) {
            i++;
            int equals = header.indexOf('=', i);
            int semicolon = header.indexOf(';', i);
            if (equals < 0 || (semicolon >= 0 && semicolon < equals)) {
                i = semicolon;
                continue;
            }
            String name = header.substring(i, equals).strip().toLowerCase(Locale.ROOT);
            int at = equals + 1;
            while (at < header.length() && header.charAt(at) == ' ') {
                at++;
            }
            StringBuilder value = new StringBuilder();
            if (at < header.length() && header.charAt(at) == '"') {
                at++;
                while (at < header.length() && header.charAt(at) != '"') {
                    char c = header.charAt(at++);
                    // Only an escaped quote: browsers send a Windows path's backslashes as they are (WHATWG HTML,
                    // multipart/form-data encoding), so they are not escapes.
                    if (c == '\\' && at < header.length() && header.charAt(at) == '"') {
                        c = header.charAt(at++);
                    }
                    value.append(c);
                }
                i = header.indexOf(';', at);
            } else {
                int stop = header.indexOf(';', at);
                value.append(header, at, stop < 0 ? header.length() : stop);
                i = stop;
            }
            parameters.putIfAbsent(name, value.toString().strip());
        }
        return parameters;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left for the sweeper, which deletes staged uploads older than the retention
        }
    }

    /** Counts what is read and stops the read that goes past the limit. */
    private static final class Limited extends InputStream {
        private final InputStream in;
        private final long limit;
        private final long deadline;
        private long count;

        /** {@code deadline}: a {@link System#nanoTime()} past which no more of the body is read. */
        Limited(InputStream in, long limit, long deadline) {
            this.in = in;
            this.limit = limit;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            checkDeadline();
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            checkDeadline();
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(int n) throws IOException {
            count += n;
            if (count > limit) {
                throw new TooLargeException();
            }
            checkDeadline();
        }

        private void checkDeadline() throws TimedOutException {
            if (System.nanoTime() - deadline > 0) {
                throw new TimedOutException();
            }
        }
    }

    private static final class TooLargeException extends IOException {
    }

    private static final class TimedOutException extends IOException {
    }

    /**
     * Passes every byte on, and keeps the first {@link #HEAD_BYTES} of them in one array, sized from the body's length
     * when it is known: a ByteArrayOutputStream growing from 16 KB and its final copy allocated about 3.3 bytes per
     * byte of a 225 KB upload, measured as 40% of the API's garbage (a young collection every 130 ms under load,
     * issue 11).
     */
    private static final class HeadKeeper extends OutputStream {
        private final OutputStream out;
        private byte[] head;
        private int kept;

        HeadKeeper(OutputStream out, int capacity) {
            this.out = out;
            this.head = new byte[Math.max(1, capacity)];
        }

        /** The bytes kept, from position 0; no copy. */
        ByteBuffer head() {
            return ByteBuffer.wrap(head, 0, kept);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int wanted = Math.min(HEAD_BYTES - kept, length);
            if (wanted > 0) {
                if (kept + wanted > head.length) {
                    head = Arrays.copyOf(head, Math.min(HEAD_BYTES, Math.max(kept + wanted, 2 * head.length)));
                }
                System.arraycopy(bytes, offset, head, kept, wanted);
                kept += wanted;
            }
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                throw new StagingException(e);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                out.close();
            } catch (IOException e) {
                throw new StagingException(e);
            }
        }
    }
}
