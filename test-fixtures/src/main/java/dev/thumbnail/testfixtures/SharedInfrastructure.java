package dev.thumbnail.testfixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.thumbnail.devinfra.KafkaBroker;
import dev.thumbnail.devinfra.LocalS3;
import dev.thumbnail.devinfra.RedisServer;

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

    private LocalS3 s3;

    /** The S3-API server (S3Proxy), started on first use. */
    public synchronized LocalS3 s3() {
        if (s3 == null) {
            s3 = LocalS3.start(root.resolve("s3"));
        }
        return s3;
    }

    /**
     * The settings that point a service at the S3 bucket {@code bucket} of {@link #s3()}, path-style; the local
     * server's credentials are set as the AWS SDK's system properties of this JVM, and are in the map too, for a
     * child JVM started with them as {@code -D} options.
     */
    public java.util.Map<String, String> s3Settings(String bucket) {
        System.setProperty("aws.accessKeyId", LocalS3.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", LocalS3.SECRET_KEY);
        return java.util.Map.of(
                "thumbnail.storage.type", "s3",
                "thumbnail.storage.s3.endpoint", s3().endpoint(),
                "thumbnail.storage.s3.bucket", bucket,
                "thumbnail.storage.s3.path-style-access", "true",
                "thumbnail.storage.s3.region", "us-east-1",
                "aws.accessKeyId", LocalS3.ACCESS_KEY,
                "aws.secretAccessKey", LocalS3.SECRET_KEY);
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
        synchronized (this) {
            if (s3 != null) {
                s3.stop();
            }
        }
        try {
            Folders.delete(root);
        } catch (IOException e) {
            // best effort: the directory is under the system temp folder
        }
    }
}
