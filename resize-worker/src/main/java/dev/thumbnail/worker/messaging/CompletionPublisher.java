package dev.thumbnail.worker.messaging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.worker.config.WorkerConfig;
import dev.thumbnail.worker.task.Completions;
import dev.thumbnail.contracts.kafka.KafkaClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.smallrye.common.annotation.Identifier;

/**
 * Sends completion events keyed by task id, so all events of one task stay in order on one partition, with acks=all
 * and an idempotent producer: a retried send never writes an event twice. The producer gives up on an event after the
 * send timeout ({@code delivery.timeout.ms}) and never sends it afterwards, so a caller that retries is the only one
 * sending.
 */
@ApplicationScoped
public class CompletionPublisher implements Completions {

    private final KafkaProducer<String, byte[]> producer;
    private final KafkaClientMetrics metrics;
    private final ObjectMapper json;

    public CompletionPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            ObjectMapper json, WorkerConfig config, MeterRegistry registry) {
        this.json = json;
        this.producer = new KafkaProducer<>(producerConfig(kafkaConfig, config.worker().sendTimeout()),
                new StringSerializer(), new ByteArraySerializer());
        this.metrics = new KafkaClientMetrics(producer);
        this.metrics.bindTo(registry);
    }

    static Map<String, Object> producerConfig(Map<String, Object> kafkaConfig, Duration sendTimeout) {
        Map<String, Object> config = KafkaClients.only(kafkaConfig, ProducerConfig.configNames());
        int timeout = (int) sendTimeout.toMillis();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeout / 2));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "resize-worker-completions");
        return config;
    }

    /** Completes when the broker has acknowledged the event; fails after the send timeout at the latest. */
    @Override
    public CompletableFuture<Void> send(ResizeCompleted event) {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        byte[] value;
        try {
            value = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            sent.completeExceptionally(e);
            return sent;
        }
        try {
            producer.send(new ProducerRecord<>(Topics.RESIZE_COMPLETIONS, event.taskId(), value),
                    (metadata, e) -> {
                        if (e == null) {
                            sent.complete(null);
                        } else {
                            sent.completeExceptionally(e);
                        }
                    });
        } catch (RuntimeException e) {
            // No metadata within max.block.ms, or the producer is closed.
            sent.completeExceptionally(e);
        }
        return sent;
    }

    /** After the request consumers have stopped: what they sent last gets a moment to reach the broker. */
    @PreDestroy
    void close() {
        metrics.close();
        producer.close(Duration.ofSeconds(2));
    }
}
