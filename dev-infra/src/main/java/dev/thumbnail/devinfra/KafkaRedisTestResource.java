package dev.thumbnail.devinfra;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a Quarkus test application at the shared real Kafka broker, Redis and bucket directory. Stopping the
 * application leaves them running for the next test class; they stop with the JVM.
 */
public class KafkaRedisTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        SharedInfrastructure infra = SharedInfrastructure.get();
        return Map.of(
                "kafka.bootstrap.servers", infra.kafka().bootstrapServers(),
                "quarkus.redis.hosts", infra.redis().url(),
                "thumbnail.storage.dir", infra.bucket().toString());
    }

    @Override
    public void stop() {
        // shared for the whole test JVM; see SharedInfrastructure
    }
}
