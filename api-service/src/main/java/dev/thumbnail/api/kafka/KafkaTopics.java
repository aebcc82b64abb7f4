package dev.thumbnail.api.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import dev.thumbnail.api.config.ApiConfig;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.contracts.kafka.KafkaClients;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Creates the two topics when they are missing, with the partition count and clean-up policy the pipeline needs. The
 * API is the pipeline's entry point, so it owns them; workers simply wait for them. Runs in the background and keeps
 * retrying while the broker is away; readiness stays DOWN until it has succeeded.
 */
@ApplicationScoped
public class KafkaTopics {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final Map<String, Object> kafkaConfig;
    private final ApiConfig config;
    private volatile boolean ready;
    private volatile Thread creator;
    private volatile Admin admin;

    @Inject
    public KafkaTopics(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, ApiConfig config) {
        this.kafkaConfig = kafkaConfig;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        creator = new Thread(this::createUntilDone, "kafka-topic-creator");
        creator.setDaemon(true);
        creator.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        Thread thread = creator;
        if (thread != null) {
            thread.interrupt();
        }
        Admin current = admin;
        if (current != null) {
            current.close(Duration.ofSeconds(2));
        }
    }

    /** Whether both topics are known to exist. */
    public boolean ready() {
        return ready;
    }

    /** The broker's nodes, with the readiness probe's deadline ({@link KafkaClients#brokers}). */
    public Collection<Node> brokers() throws Exception {
        return KafkaClients.brokers(admin());
    }

    List<NewTopic> topics() {
        Optional<Integer> partitions = Optional.of(config.kafka().partitions());
        Optional<Short> replication = config.kafka().replicationFactor();
        String retention = Long.toString(config.retention().toMillis());
        NewTopic requests = new NewTopic(Topics.RESIZE_REQUESTS, partitions, replication)
                .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, retention));
        // Compacted by task id: the latest event of each task is its outcome of record. Deleting past the retention
        // keeps the log from growing without bound, in step with the Redis entries and blobs.
        NewTopic completions = new NewTopic(Topics.RESIZE_COMPLETIONS, partitions, replication)
                .configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, retention));
        return List.of(requests, completions);
    }

    private void createUntilDone() {
        Duration backoff = Duration.ofMillis(500);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                createMissing();
                ready = true;
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                Log.warnf("cannot create Kafka topics yet (%s); retrying in %s", rootMessage(e), backoff);
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
        }
    }

    private void createMissing() throws Exception {
        Set<String> existing = admin().listTopics().names().get(10, TimeUnit.SECONDS);
        List<NewTopic> missing = topics().stream().filter(topic -> !existing.contains(topic.name())).toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            admin().createTopics(missing).all().get(10, TimeUnit.SECONDS);
            Log.infof("created Kafka topics %s", missing.stream().map(NewTopic::name).toList());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    private Admin admin() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                if (admin == null) {
                    Map<String, Object> adminConfig = KafkaClients.only(kafkaConfig, AdminClientConfig.configNames());
                    adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
                    adminConfig.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
                    adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "api-service-admin");
                    admin = Admin.create(adminConfig);
                }
                current = admin;
            }
        }
        return current;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
