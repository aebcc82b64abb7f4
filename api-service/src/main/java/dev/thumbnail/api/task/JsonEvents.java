package dev.thumbnail.api.task;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Server-Sent Events whose data is a JSON document, with only the standard fields ({@code event:} and {@code data:}).
 * Quarkus REST writes a {@code content-type:} line into every event given a media type, which no standard defines
 * (EventSource ignores it; a hand-written parser may not), so the JSON is written here and sent as text.
 */
@ApplicationScoped
public class JsonEvents {

    private final ObjectMapper json;

    public JsonEvents(ObjectMapper json) {
        this.json = json;
    }

    /** An event named {@code name} whose data is {@code value} as JSON, on one line. */
    public OutboundSseEvent event(Sse sse, String name, Object value) {
        return builder(sse, name, value).build();
    }

    /**
     * {@link #event} with a {@code retry:} field: how long an EventSource waits before it reconnects once the stream
     * has ended (the HTML standard's reconnection time).
     */
    public OutboundSseEvent lastEvent(Sse sse, String name, Object value, Duration reconnect) {
        return builder(sse, name, value).reconnectDelay(reconnect.toMillis()).build();
    }

    /** A comment with a {@code retry:} field and no event: for a stream that ends before it has anything to send. */
    public OutboundSseEvent reconnectLater(Sse sse, String comment, Duration reconnect) {
        return sse.newEventBuilder().comment(comment).reconnectDelay(reconnect.toMillis()).build();
    }

    private OutboundSseEvent.Builder builder(Sse sse, String name, Object value) {
        String data;
        try {
            data = json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // Our own response records: a failure here is a bug, reported as one by the stream.
            throw new IllegalStateException("cannot write the " + name + " event as JSON", e);
        }
        return sse.newEventBuilder().name(name).data(String.class, data);
    }
}
