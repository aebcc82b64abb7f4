package dev.thumbnail.contracts.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;

/** Helpers for building plain Kafka clients from the configuration Quarkus gathers under {@code kafka.*}. */
public final class KafkaClients {

    /**
     * How long a readiness probe waits for the broker: a probe must answer within its own period (Kubernetes' default
     * timeout is 1 s per probe, our manifests allow 3), and the client's own default, 60 s, is far longer.
     */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private KafkaClients() {
    }

    /**
     * The broker's nodes, asked with a deadline of {@link #PROBE_TIMEOUT}: the readiness probe of both services.
     *
     * @throws Exception when the broker does not answer in time (or at all)
     */
    public static Collection<Node> brokers(Admin admin) throws Exception {
        return admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) PROBE_TIMEOUT.toMillis()))
                .nodes().get(PROBE_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
    }

    /** What a readiness probe says when {@link #brokers} failed. */
    public static String brokersDidNotAnswer() {
        return "broker did not answer within " + PROBE_TIMEOUT.toSeconds() + " s";
    }

    /**
     * The entries of {@code kafkaConfig} a client knows, e.g. {@code only(config, ConsumerConfig.configNames())}: the
     * shared {@code kafka.*} map holds settings for every kind of client, and each logs a warning for the others'.
     *
     * @return a new mutable map, to which the caller adds the client's own settings
     */
    public static Map<String, Object> only(Map<String, Object> kafkaConfig, Set<String> names) {
        Map<String, Object> config = new HashMap<>();
        kafkaConfig.forEach((name, value) -> {
            if (names.contains(name)) {
                config.put(name, value);
            }
        });
        return config;
    }
}
