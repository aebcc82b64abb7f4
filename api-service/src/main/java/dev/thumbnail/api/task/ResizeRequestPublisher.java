package dev.thumbnail.api.task;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.thumbnail.api.config.ApiConfig;
import dev.thumbnail.contracts.ResizeRequested;
import dev.thumbnail.contracts.Topics;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Sends resize requests keyed by task id and waits for the broker's acknowledgement (acks=all). */
@ApplicationScoped
public class ResizeRequestPublisher {

    private final MutinyEmitter<ResizeRequested> emitter;
    private final ApiConfig config;

    public ResizeRequestPublisher(@Channel(Topics.RESIZE_REQUESTS) MutinyEmitter<ResizeRequested> emitter,
            ApiConfig config) {
        this.emitter = emitter;
        this.config = config;
    }

    /** Blocking: returns once the broker has the request, throws when it does not within the send timeout. */
    public void publish(ResizeRequested request) {
        Message<ResizeRequested> message = Message.of(request)
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(request.taskId()).build());
        emitter.sendMessage(message).await().atMost(config.kafka().sendTimeout());
    }
}
