package dev.thumbnail.contracts.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Helpers for building plain Kafka clients from the configuration Quarkus gathers under {@code kafka.*}. */
public final class KafkaClients {

    private KafkaClients() {
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
