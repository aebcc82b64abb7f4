package dev.thumbnail.testfixtures;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points a Quarkus test application at the shared real Kafka broker, Redis and bucket (a directory, or with the init
 * arg {@code storage=s3} a bucket on the local S3-API server). Stopping the
 * application leaves them running for the next test class; they stop with the JVM.
 */
public class KafkaRedisTestResource implements QuarkusTestResourceLifecycleManager {

    /**
     * Init arg: comma-separated topics to create (6 partitions) before the application starts, for services that
     * consume topics they do not create themselves. A consumer that subscribes before its topic exists can take tens
     * of seconds to be assigned the new partitions.
     */
    public static final String TOPICS = "topics";

    /** Init arg: {@code s3} puts the bucket on the local S3-API server (bucket {@code thumbnails-test}). */
    public static final String STORAGE = "storage";

    private String[] topics = new String[0];
    private boolean s3;

    @Override
    public void init(Map<String, String> initArgs) {
        String names = initArgs.getOrDefault(TOPICS, "");
        topics = names.isBlank() ? new String[0] : names.split(",");
        s3 = "s3".equals(initArgs.get(STORAGE));
    }

    @Override
    public Map<String, String> start() {
        SharedInfrastructure infra = SharedInfrastructure.get();
        for (String topic : topics) {
            infra.kafka().ensureTopic(topic.strip(), 6, Map.of());
        }
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "kafka.bootstrap.servers", infra.kafka().bootstrapServers(),
                "quarkus.redis.hosts", infra.redis().url(),
                "thumbnail.storage.dir", infra.bucket().toString()));
        if (s3) {
            config.putAll(infra.s3Settings("thumbnails-test"));
        }
        return config;
    }

    @Override
    public void stop() {
        // shared for the whole test JVM; see SharedInfrastructure
    }
}
