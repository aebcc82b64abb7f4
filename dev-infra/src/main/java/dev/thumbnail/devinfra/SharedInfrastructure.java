package dev.thumbnail.devinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One Kafka broker, one Redis and one bucket directory per test JVM, started on first use and stopped when the JVM
 * exits. Quarkus tests start in tens of seconds on small machines; sharing the infrastructure keeps the suite fast.
 */
public final class SharedInfrastructure {

    private static SharedInfrastructure instance;

    private final Path root;
    private final KafkaBroker kafka;
    private final RedisServer redis;

    private SharedInfrastructure(Path root, KafkaBroker kafka, RedisServer redis) {
        this.root = root;
        this.kafka = kafka;
        this.redis = redis;
    }

    public static synchronized SharedInfrastructure get() {
        if (instance == null) {
            try {
                Path root = Files.createTempDirectory("thumbnail-test-");
                RedisServer redis = RedisServer.start(root.resolve("redis"));
                KafkaBroker kafka = KafkaBroker.start(root.resolve("kafka"));
                instance = new SharedInfrastructure(root, kafka, redis);
                Runtime.getRuntime().addShutdownHook(new Thread(instance::shutdown, "test-infrastructure-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public RedisServer redis() {
        return redis;
    }

    /** The blob store's root, shared by every service started in this JVM (as the bucket volume is in production). */
    public Path bucket() {
        Path bucket = root.resolve("bucket");
        try {
            return Files.createDirectories(bucket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path newDirectory(String name) {
        try {
            return Files.createDirectories(root.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void shutdown() {
        kafka.stop();
        redis.stop();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort: the directory is under the system temp folder
        }
    }
}
