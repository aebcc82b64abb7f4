package dev.thumbnail.worker.health;

import java.time.Duration;
import java.util.Map;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.thumbnail.contracts.kafka.KafkaClients;

import io.smallrye.common.annotation.Identifier;

/**
 * Not ready while the broker does not answer ({@link KafkaClients#brokers}, the probe both services use). The stock
 * Kafka health check waits for the client's 60 s API timeout, far longer than any probe.
 */
@Readiness
@ApplicationScoped
public class KafkaBrokerCheck implements HealthCheck {

    private final Admin admin;

    public KafkaBrokerCheck(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> config = KafkaClients.only(kafkaConfig, AdminClientConfig.configNames());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "resize-worker-health");
        this.admin = Admin.create(config);
    }

    @Override
    public HealthCheckResponse call() {
        try {
            int nodes = KafkaClients.brokers(admin).size();
            return HealthCheckResponse.named("kafka").up().withData("nodes", nodes).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("kafka").down()
                    .withData("reason", KafkaClients.brokersDidNotAnswer()).build();
        }
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
