package dev.thumbnail.api.task;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import dev.thumbnail.api.config.ApiConfig;
import dev.thumbnail.contracts.ResizeRequested;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.contracts.kafka.KafkaClients;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;

/**
 * Sends resize requests keyed by task id and waits for the broker's own verdict (acks=all, idempotent), so that
 * {@code 202} means the request is in the log and will run, and {@code 503} means it will not: the Kafka producer
 * gives up on a record after {@code delivery.timeout.ms} (the send timeout) and never sends it afterwards. A plain
 * producer rather than a SmallRye emitter: the emitter keeps a timed-out message queued and resends it on its own
 * (issue 13: 20 of 27 refused uploads ran once the broker was back).
 * <p>
 * One case stays open: a request sent just before the broker went away may have reached its log although the answer
 * never came. Such a refused request is withdrawn: a tombstone (its key, no value) follows it on the same partition,
 * sent in the background until the broker takes it; a rebuild of the view drops the task ({@link ViewRebuilder}). A
 * worker that takes the request after the API deleted the original makes nothing; one that took it before (the broker
 * came back while the API still waited) made a thumbnail, which the worker that meets the tombstone deletes.
 */
@ApplicationScoped
public class ResizeRequestPublisher {

    /** Refused requests waiting for their tombstone; beyond this many, the oldest are only logged. */
    private static final int MAX_WITHDRAWALS = 10_000;

    private final KafkaProducer<String, byte[]> producer;
    private final ObjectMapper json;
    private final Duration sendTimeout;
    private final BlockingQueue<String> withdrawals = new LinkedBlockingQueue<>(MAX_WITHDRAWALS);
    private final Thread withdrawer;
    private volatile boolean closing;

    public ResizeRequestPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            ObjectMapper json, ApiConfig config) {
        this.json = json;
        this.sendTimeout = config.kafka().sendTimeout();
        this.producer = new KafkaProducer<>(producerConfig(kafkaConfig, config.kafka()), new StringSerializer(),
                new ByteArraySerializer());
        this.withdrawer = new Thread(this::sendWithdrawals, "request-withdrawer");
        this.withdrawer.setDaemon(true);
        this.withdrawer.start();
    }

    static Map<String, Object> producerConfig(Map<String, Object> kafkaConfig, ApiConfig.Kafka kafka) {
        Map<String, Object> config = KafkaClients.only(kafkaConfig, ProducerConfig.configNames());
        long timeout = kafka.sendTimeout().toMillis();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) kafka.linger().toMillis());
        // Each bounded by the send timeout: waiting for the broker's metadata, and the whole delivery with retries.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) timeout);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) Math.max(1000, Math.min(timeout / 2, timeout - kafka.linger().toMillis())));
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "api-service-requests");
        return config;
    }

    /**
     * Blocking: returns once the broker has the request.
     *
     * @throws QueueUnavailableException when it does not within the send timeout; the request is then withdrawn
     */
    public void publish(ResizeRequested request) throws QueueUnavailableException {
        byte[] value;
        try {
            value = json.writeValueAsBytes(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a resize request cannot be written as JSON", e);
        }
        try {
            producer.send(new ProducerRecord<>(Topics.RESIZE_REQUESTS, request.taskId(), value))
                    // The producer fails the record itself at the send timeout; the margin only covers its clock.
                    .get(sendTimeout.toMillis() + 2000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            withdraw(request.taskId());
            throw new QueueUnavailableException(e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            withdraw(request.taskId());
            throw new QueueUnavailableException(e);
        }
    }

    /** How many refused requests still wait for their tombstone. */
    int withdrawalsWaiting() {
        return withdrawals.size();
    }

    private void withdraw(String taskId) {
        if (!withdrawals.offer(taskId)) {
            Log.warnf("task %s: too many withdrawals waiting for the broker; this one is only logged", taskId);
        }
    }

    private void sendWithdrawals() {
        Duration backoff = Duration.ofMillis(500);
        while (!closing) {
            String taskId;
            try {
                taskId = withdrawals.take();
            } catch (InterruptedException e) {
                return;
            }
            while (!closing) {
                try {
                    producer.send(new ProducerRecord<>(Topics.RESIZE_REQUESTS, taskId, null)).get();
                    Log.debugf("task %s: withdrawn", taskId);
                    backoff = Duration.ofMillis(500);
                    break;
                } catch (InterruptedException e) {
                    return;
                } catch (ExecutionException | RuntimeException e) {
                    sleep(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                            : backoff.multipliedBy(2);
                }
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void close() {
        closing = true;
        withdrawer.interrupt();
        producer.close(Duration.ofSeconds(2));
    }

    /** The broker did not take the request in time; it will not run. */
    public static final class QueueUnavailableException extends Exception {
        QueueUnavailableException(Throwable cause) {
            super("the broker did not acknowledge the request in time", cause);
        }
    }
}
