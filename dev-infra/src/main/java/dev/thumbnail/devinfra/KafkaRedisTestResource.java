package dev.thumbnail.devinfra;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a Quarkus test application at the shared real Kafka broker, Redis and bucket directory. Stopping the
 * application leaves them running for the next test class; they stop with the JVM.
 */
public class KafkaRedisTestResource implements QuarkusTestResourceLifecycleManager {

    /**
     * Init arg: comma-separated topics to create (6 partitions) before the application starts, for services that
     * consume topics they do not create themselves. A consumer that subscribes before its topic exists can take tens
     * of seconds to be assigned the new partitions.
     */
    public static final String TOPICS = "topics";

    private String[] topics = new String[0];

    @Override
    public void init(Map<String, String> initArgs) {
        String names = initArgs.getOrDefault(TOPICS, "");
        topics = names.isBlank() ? new String[0] : names.split(",");
    }

    @Override
    public Map<String, String> start() {
        SharedInfrastructure infra = SharedInfrastructure.get();
        for (String topic : topics) {
            infra.kafka().ensureTopic(topic.strip(), 6, Map.of());
        }
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
