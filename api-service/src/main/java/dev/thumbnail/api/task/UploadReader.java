package dev.thumbnail.api.task;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import org.apache.commons.fileupload.MultipartStream;
import org.apache.commons.fileupload.ParameterParser;

/**
 * Reads a {@code multipart/form-data} body as it arrives and keeps the one part that matters, the image: streamed to
 * a staging file with large writes, its first {@link #HEAD_BYTES} also kept in memory for the header checks, every
 * other part read past. Parsing is Apache Commons FileUpload's {@link MultipartStream} (a buffered boundary search);
 * Quarkus REST's own multipart reader, which goes byte by byte and writes every network buffer to disk, cost 1.3 ms of
 * CPU per 330 KB upload (issue 11).
 * <p>
 * Which part is the image: the parts named {@code image_data}; the first that is a file (has a {@code filename}), else
 * the first at all (so that {@code curl -F image_data=<photo.jpg}, a field with the file's bytes, works too). A text
 * field with that name before or after the file part is ignored, whatever the order (issue 12).
 */
final class UploadReader {

    static final String FIELD = "image_data";
    /** What header readers see without opening the staged file again: every format's header fits in practice. */
    static final int HEAD_BYTES = 256 * 1024;
    private static final int BUFFER = 64 * 1024;
    /** Part headers larger than this are a malformed or hostile body. */
    private static final int MAX_PART_HEADERS = 8 * 1024;

    private UploadReader() {
    }

    /** The image part, staged. {@code head} holds its first bytes (all of them when it is small). */
    record Upload(Path file, long size, byte[] head, String filename) {
    }

    /** Why a body could not be read as an upload. */
    static final class UploadException extends Exception {
        enum Kind {
            NOT_MULTIPART, MALFORMED, NO_IMAGE, TOO_LARGE
        }

        final Kind kind;

        UploadException(Kind kind, String message, Throwable cause) {
            super(message, cause);
            this.kind = kind;
        }
    }

    /**
     * Reads {@code body} to its end. The image goes to {@code staging}, created here; it is deleted again when this
     * throws.
     *
     * @param maxBytes the most the whole body may hold
     * @throws UploadException for a body that is not a multipart form, is malformed, over {@code maxBytes}, or has no
     *                         {@code image_data} part
     * @throws IOException     when the staging file cannot be written
     */
    static Upload read(InputStream body, String contentType, long maxBytes, Path staging)
            throws UploadException, IOException {
        byte[] boundary = boundary(contentType);
        CountingInput counted = new CountingInput(body, maxBytes);
        MultipartStream parts = new MultipartStream(counted, boundary, BUFFER, null);
        parts.setHeaderEncoding(StandardCharsets.UTF_8.name());
        Part chosen = null;
        try {
            boolean more = parts.skipPreamble();
            while (more) {
                Map<String, String> disposition = disposition(parts.readHeaders());
                boolean image = FIELD.equals(disposition.get("name"));
                boolean file = disposition.containsKey("filename");
                if (image && (chosen == null || (file && !chosen.file))) {
                    chosen = new Part(file, disposition.get("filename"), stage(parts, staging));
                } else {
                    parts.discardBodyData();
                }
                more = parts.readBoundary();
            }
        } catch (MultipartStream.MalformedStreamException | MultipartStream.IllegalBoundaryException e) {
            deleteQuietly(staging);
            throw counted.over() ? tooLarge(maxBytes) : new UploadException(UploadException.Kind.MALFORMED,
                    "The multipart body is malformed: " + e.getMessage(), e);
        } catch (TooLargeException e) {
            deleteQuietly(staging);
            throw tooLarge(maxBytes);
        } catch (StagingException e) {
            deleteQuietly(staging);
            throw e;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(staging);
            if (counted.over()) {
                throw tooLarge(maxBytes);
            }
            throw e;
        }
        if (chosen == null) {
            deleteQuietly(staging);
            throw new UploadException(UploadException.Kind.NO_IMAGE, "no part named " + FIELD, null);
        }
        return new Upload(staging, chosen.staged.size, chosen.staged.head, chosen.filename);
    }

    private record Part(boolean file, String filename, Staged staged) {
    }

    private record Staged(long size, byte[] head) {
    }

    /** Writes the current part's body to {@code staging} (replacing what an earlier candidate left there). */
    private static Staged stage(MultipartStream parts, Path staging) throws IOException {
        OutputStream out;
        try {
            out = Files.newOutputStream(staging, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StagingException(e);
        }
        try (out; HeadKeeper keeper = new HeadKeeper(out)) {
            long size = parts.readBodyData(keeper);
            return new Staged(size, keeper.head());
        }
    }

    /** The staging file could not be written: the service's side (a full or read-only disk), not the client's. */
    static final class StagingException extends IOException {
        StagingException(IOException cause) {
            super("the staging file cannot be written: " + cause.getMessage(), cause);
        }
    }

    static byte[] boundary(String contentType) throws UploadException {
        if (contentType == null || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw new UploadException(UploadException.Kind.NOT_MULTIPART, "not multipart/form-data", null);
        }
        ParameterParser parser = new ParameterParser();
        parser.setLowerCaseNames(true);
        String boundary = parser.parse(contentType, new char[] { ';', ',' }).get("boundary");
        if (boundary == null || boundary.isEmpty() || boundary.length() > 70) {
            throw new UploadException(UploadException.Kind.MALFORMED, "the multipart body has no valid boundary", null);
        }
        return boundary.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The parameters of a part's {@code Content-Disposition} header ({@code name}, {@code filename}). */
    static Map<String, String> disposition(String headers) throws UploadException {
        if (headers.length() > MAX_PART_HEADERS) {
            throw new UploadException(UploadException.Kind.MALFORMED, "part headers too large", null);
        }
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
                ParameterParser parser = new ParameterParser();
                parser.setLowerCaseNames(true);
                return parser.parse(line.substring(colon + 1), ';');
            }
        }
        return Map.of();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left for the sweeper, which deletes staged uploads older than the retention
        }
    }

    private static UploadException tooLarge(long maxBytes) {
        return new UploadException(UploadException.Kind.TOO_LARGE, "over " + maxBytes + " bytes", null);
    }

    /** Counts what is read and stops the read that goes past the limit. */
    private static final class CountingInput extends InputStream {
        private final InputStream in;
        private final long limit;
        private long count;

        CountingInput(InputStream in, long limit) {
            this.in = in;
            this.limit = limit;
        }

        boolean over() {
            return count > limit;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                add(n);
            }
            return n;
        }

        private void add(int n) throws TooLargeException {
            count += n;
            if (count > limit) {
                throw new TooLargeException();
            }
        }
    }

    private static final class TooLargeException extends IOException {
    }

    /** Passes every byte on, and keeps the first {@link #HEAD_BYTES} of them. */
    private static final class HeadKeeper extends OutputStream {
        private final OutputStream out;
        private final ByteArrayOutputStream head = new ByteArrayOutputStream(16 * 1024);

        HeadKeeper(OutputStream out) {
            this.out = out;
        }

        byte[] head() {
            return head.toByteArray();
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int room = HEAD_BYTES - head.size();
            if (room > 0) {
                head.write(bytes, offset, Math.min(room, length));
            }
            try {
                out.write(bytes, offset, length);
            } catch (IOException e) {
                throw new StagingException(e);
            }
        }

        @Override
        public void close() {
            // the staging file is closed by its owner
        }
    }
}
