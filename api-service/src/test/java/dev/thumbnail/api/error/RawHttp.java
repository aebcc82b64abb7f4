package dev.thumbnail.api.error;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * HTTP/1.1 over a plain socket, for what a client library hides: a request whose body is never sent, or is sent in
 * chunks without Content-Length. The body is written on its own thread, so the answer can be read while (or instead
 * of) sending it, as a server that refuses early answers.
 */
final class RawHttp {

    /** {@code closedAfterwards}: the server closed the connection within 10 s of answering. */
    record Answer(int status, Map<String, String> headers, String body, boolean closedAfterwards) {
    }

    private RawHttp() {
    }

    static Answer exchange(int port, String head, Consumer<OutputStream> body) throws Exception {
        return exchange(port, head, body, false);
    }

    /** @param sendFirst write the whole body before reading the answer (a write the server refuses throws) */
    static Answer exchange(int port, String head, Consumer<OutputStream> body, boolean sendFirst) throws Exception {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            CompletableFuture<Void> sending;
            if (sendFirst) {
                body.accept(out);
                sending = CompletableFuture.completedFuture(null);
            } else {
                sending = CompletableFuture.runAsync(() -> body.accept(out));
            }
            Answer answer = read(socket.getInputStream());
            sending.cancel(true);
            socket.setSoTimeout(10_000); // past the server's 5 s wait for the rest of a refused body
            boolean closed;
            try {
                closed = socket.getInputStream().read() < 0;
            } catch (java.net.SocketTimeoutException e) {
                closed = false;
            } catch (IOException e) {
                closed = true;
            }
            return new Answer(answer.status(), answer.headers(), answer.body(), closed);
        }
    }

    /**
     * As a browser's {@code fetch} or Node's client does: the whole body is written before the answer is read. A
     * server that closes the connection while the body is being written makes this throw (broken pipe, reset).
     */
    static Answer sendAllThenRead(int port, String head, long bodyBytes) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            byte[] block = new byte[64 * 1024];
            java.util.Arrays.fill(block, (byte) 'x');
            for (long sent = 0; sent < bodyBytes; sent += block.length) {
                out.write(block, 0, (int) Math.min(block.length, bodyBytes - sent));
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(),
                    16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        }
        return new Answer(status, headers, body.toString(StandardCharsets.UTF_8), false);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed before the answer was complete: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    /** Writes a chunk, ignoring a connection the server closed: that is one of the answers under test. */
    static void chunk(OutputStream out, byte[] data) {
        try {
            out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(data);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
