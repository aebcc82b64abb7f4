package dev.thumbnail.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A minimal Server-Sent Events client for tests: reads the response line by line on its own thread, and hands out
 * complete events (or the end of the stream) with a deadline, so a test never sleeps and never hangs.
 */
public final class SseStream implements AutoCloseable {

    public static final Duration DEADLINE = Duration.ofSeconds(20);

    /** One event; {@link #END} marks the end of the stream. */
    public record Event(String name, String data) {
        static final Event END = new Event(null, null);
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    /** Lines that are neither a comment nor a field Server-Sent Events define. */
    private final BlockingQueue<String> strays = new LinkedBlockingQueue<>();

    private SseStream(HttpResponse<Stream<String>> response) {
        this.response = response;
    }

    /** Connects and waits for the response headers; {@code authorization} may be null. */
    public static SseStream open(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<Stream<String>> response = CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        SseStream stream = new SseStream(response);
        if (response.statusCode() == 200) {
            Thread reader = new Thread(stream::read, "sse-test-reader");
            reader.setDaemon(true);
            reader.start();
        }
        return stream;
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The whole body of a response that is not a stream (an error). */
    public String body() {
        try (Stream<String> lines = response.body()) {
            return lines.collect(Collectors.joining("\n"));
        }
    }

    /** The next event; fails when none arrives before the deadline or the stream ended instead. */
    public Event next() throws InterruptedException {
        Event event = events.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no event within " + DEADLINE);
        }
        if (event == Event.END) {
            throw new AssertionError("the stream ended instead of sending an event");
        }
        assertNoStrays();
        return event;
    }

    /** The text of the next comment line ({@code : text}); fails when none arrives before the deadline. */
    public String nextComment() throws InterruptedException {
        String comment = comments.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (comment == null) {
            throw new AssertionError("no comment line within " + DEADLINE);
        }
        return comment;
    }

    /** Fails unless the server ends the stream, with no further event, before the deadline. */
    public void assertEnds() throws InterruptedException {
        Event event = events.poll(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("the stream did not end within " + DEADLINE);
        }
        if (event != Event.END) {
            throw new AssertionError("expected the end of the stream, got " + event);
        }
        assertNoStrays();
    }

    private void assertNoStrays() {
        if (!strays.isEmpty()) {
            throw new AssertionError("lines that are no Server-Sent Events field: " + strays);
        }
    }

    private void read() {
        String name = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (!data.isEmpty() || name != null) {
                        events.add(new Event(name, data.toString()));
                    }
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).strip());
                } else if (!line.startsWith("id:") && !line.startsWith("retry:")) {
                    // Not a field of the standard (WHATWG HTML, 9.2.6): EventSource ignores it, a plain parser may not.
                    strays.add(line);
                }
            }
        } catch (RuntimeException e) {
            // closed by the test, or the connection dropped: either way the stream is over
        } finally {
            events.add(Event.END);
        }
    }

    @Override
    public void close() {
        response.body().close();
    }
}
