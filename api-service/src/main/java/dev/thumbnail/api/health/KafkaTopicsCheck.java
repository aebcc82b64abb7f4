package dev.thumbnail.api.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.thumbnail.api.kafka.KafkaTopics;

/** Not ready to accept uploads until the topics exist (the broker's own reachability is checked by Quarkus). */
@Readiness
@ApplicationScoped
public class KafkaTopicsCheck implements HealthCheck {

    private final KafkaTopics topics;

    public KafkaTopicsCheck(KafkaTopics topics) {
        this.topics = topics;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("kafka-topics").status(topics.ready()).build();
    }
}
