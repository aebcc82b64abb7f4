package dev.thumbnail.worker.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.thumbnail.contracts.ResizeRequested;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.worker.task.TaskProcessor;
import io.quarkus.logging.Log;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Takes resize requests from the consumer group onto worker threads, where {@link TaskProcessor} bounds how many run
 * at once. Out-of-order completion is fine: offsets are committed only up to the oldest unfinished request, so a crash
 * redelivers rather than loses (at-least-once), and reprocessing is idempotent.
 */
@ApplicationScoped
public class ResizeRequestConsumer {

    private final TaskProcessor processor;

    public ResizeRequestConsumer(TaskProcessor processor) {
        this.processor = processor;
    }

    @Incoming(Topics.RESIZE_REQUESTS)
    @Blocking(ordered = false)
    public void consume(ResizeRequested request) {
        if (request == null) {
            // A tombstone (the API withdrew a request it could not confirm) or a record that is not a request: the
            // API never writes the latter, and a poison message must not block its partition.
            Log.debug("skipping a withdrawn or undecodable resize request");
            return;
        }
        if (request.taskId() == null || request.originalKey() == null) {
            Log.warn("skipping a resize request without task id or original");
            return;
        }
        processor.process(request);
    }
}
