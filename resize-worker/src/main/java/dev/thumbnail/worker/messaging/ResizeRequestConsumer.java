package dev.thumbnail.worker.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.thumbnail.contracts.ResizeRequested;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.worker.ResizeService;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Takes resize requests from the consumer group onto worker threads, where {@link ResizeService} bounds how many run at
 * once. Out-of-order completion is fine: offsets are committed only up to the oldest unfinished request, so a crash
 * redelivers rather than loses (at-least-once), and reprocessing is idempotent.
 */
@ApplicationScoped
public class ResizeRequestConsumer {

    private final ResizeService service;

    public ResizeRequestConsumer(ResizeService service) {
        this.service = service;
    }

    @Incoming(Topics.RESIZE_REQUESTS)
    @Blocking(ordered = false)
    public void consume(ResizeRequested request) {
        if (request == null || request.taskId() == null || request.originalKey() == null) {
            // A poison message must not block its partition; the API never writes one, so it is logged and skipped.
            Log.warn("skipping a resize request that could not be decoded");
            return;
        }
        service.process(request);
    }
}
