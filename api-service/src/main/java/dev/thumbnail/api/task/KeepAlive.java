package dev.thumbnail.api.task;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import dev.thumbnail.api.config.ApiConfig;
import io.smallrye.mutiny.Multi;

/**
 * Server-Sent Event streams with a comment line ({@code : keep-alive}) every interval while they are open. Proxies and
 * load balancers close connections that stay silent (nginx and most ingresses after 60 s), and a task or the dashboard
 * can be quiet for much longer; clients ignore comments. The stream still ends as soon as its events end.
 */
@ApplicationScoped
public class KeepAlive {

    private final Duration interval;

    public KeepAlive(ApiConfig config) {
        this.interval = config.events().keepAlive();
    }

    public Multi<OutboundSseEvent> around(Multi<OutboundSseEvent> events, Sse sse) {
        // Never sent: marks the end of the events, so the merged stream ends with them and stops the ticks.
        OutboundSseEvent end = sse.newEventBuilder().comment("end").build();
        Multi<OutboundSseEvent> beats = Multi.createFrom().ticks().every(interval).onOverflow().drop()
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        return Multi.createBy().merging().streams(events.onCompletion().continueWith(end), beats)
                .select().first(event -> event != end);
    }
}
