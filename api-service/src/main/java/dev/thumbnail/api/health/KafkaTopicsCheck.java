package dev.thumbnail.api.health;

import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.thumbnail.api.kafka.KafkaTopics;
import dev.thumbnail.contracts.kafka.KafkaClients;

/** Not ready while the broker does not answer ({@link KafkaClients#brokers}), or before the topics exist. */
@Readiness
@ApplicationScoped
public class KafkaTopicsCheck implements HealthCheck {

    private final KafkaTopics topics;

    public KafkaTopicsCheck(KafkaTopics topics) {
        this.topics = topics;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("kafka");
        try {
            String nodes = topics.brokers().stream().map(node -> node.host() + ":" + node.port())
                    .collect(Collectors.joining(","));
            response.withData("nodes", nodes).withData("topics", topics.ready() ? "created" : "missing");
            return response.status(topics.ready()).build();
        } catch (Exception e) {
            return response.down().withData("reason", KafkaClients.brokersDidNotAnswer()).build();
        }
    }
}
