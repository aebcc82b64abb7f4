package dev.thumbnail.worker.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.worker.config.WorkerConfig;
import dev.thumbnail.worker.task.Completions;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Sends completion events keyed by task id, so all events of one task stay in order on one partition. */
@ApplicationScoped
public class CompletionPublisher implements Completions {

    private final MutinyEmitter<ResizeCompleted> emitter;
    private final WorkerConfig config;

    public CompletionPublisher(@Channel(Topics.RESIZE_COMPLETIONS) MutinyEmitter<ResizeCompleted> emitter,
            WorkerConfig config) {
        this.emitter = emitter;
        this.config = config;
    }

    /** Completes when the broker has acknowledged the event (acks=all). */
    @Override
    public Uni<Void> send(ResizeCompleted event) {
        Message<ResizeCompleted> message = Message.of(event)
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(event.taskId()).build());
        return emitter.sendMessage(message).ifNoItem().after(config.worker().sendTimeout()).fail();
    }
}
