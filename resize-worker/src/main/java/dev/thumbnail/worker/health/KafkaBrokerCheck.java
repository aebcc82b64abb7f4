package dev.thumbnail.worker.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.thumbnail.contracts.kafka.KafkaClients;

import io.smallrye.common.annotation.Identifier;

/**
 * Not ready while the broker does not answer within two seconds. The stock Kafka health check waits for the client's
 * 60 s API timeout, far longer than any probe.
 */
@Readiness
@ApplicationScoped
public class KafkaBrokerCheck implements HealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Admin admin;

    public KafkaBrokerCheck(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> config = KafkaClients.only(kafkaConfig, AdminClientConfig.configNames());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "resize-worker-health");
        this.admin = Admin.create(config);
    }

    @Override
    public HealthCheckResponse call() {
        try {
            int nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS).size();
            return HealthCheckResponse.named("kafka").up().withData("nodes", nodes).build();
        } catch (Exception e) {
            return HealthCheckResponse.named("kafka").down()
                    .withData("reason", "broker did not answer within " + TIMEOUT.toSeconds() + " s").build();
        }
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
