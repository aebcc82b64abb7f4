package dev.thumbnail.api.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.thumbnail.api.metrics.TaskMetrics;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.contracts.kafka.FinishedOffsets;
import dev.thumbnail.contracts.kafka.KafkaClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * Folds the workers' completion events into the task view: this instance's member of the {@code api-service} consumer
 * group, on one thread, folding each poll's events in one Redis round trip and committing the offsets once they are
 * folded (at-least-once; folding an event twice changes nothing). An event that cannot be decoded is logged and
 * skipped (it must not block its partition). Redis being away is not the events' fault: the consumer pauses its
 * partitions and retries the same events, backing off from 200 ms to 10 s, until Redis is back. An event for a task the
 * view does not hold is not folded: it is a task whose upload was refused, or whose entry the view has lost and a
 * rebuild restores.
 * <p>
 * A plain Kafka consumer rather than a SmallRye channel: measured, the channel's dispatch and acknowledgement tracking
 * cost the API about 0.27 ms of CPU per image (issue 11), for a loop this simple.
 */
@ApplicationScoped
public class CompletionFolder {

    private static final Duration POLL = Duration.ofSeconds(1);
    /** How often the view is checked against Redis' run_id: the longest a restarted Redis goes unnoticed. */
    private static final Duration VIEW_CHECK_EVERY = Duration.ofSeconds(2);
    private static final Duration COMMIT_EVERY = Duration.ofSeconds(1);
    private static final Duration RETRY_FIRST = Duration.ofMillis(200);
    private static final Duration RETRY_MAX = Duration.ofSeconds(10);

    private final TaskStore store;
    private final ViewRebuilder view;
    private final TaskMetrics metrics;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Map<String, Object> consumerConfig;
    private KafkaConsumer<String, byte[]> consumer;
    private KafkaClientMetrics consumerMetrics;
    private FinishedOffsets folded;
    private Thread thread;
    private volatile boolean running = true;

    public CompletionFolder(TaskStore store, ViewRebuilder view, TaskMetrics metrics, ObjectMapper json,
            MeterRegistry registry, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.store = store;
        this.view = view;
        this.metrics = metrics;
        this.json = json;
        this.registry = registry;
        this.consumerConfig = consumerConfig(kafkaConfig);
    }

    static Map<String, Object> consumerConfig(Map<String, Object> kafkaConfig) {
        Map<String, Object> config = KafkaClients.only(kafkaConfig, ConsumerConfig.configNames());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.API_GROUP);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "api-service-completions");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        return config;
    }

    void start(@Observes StartupEvent event) {
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(registry);
        folded = new FinishedOffsets(consumer, COMMIT_EVERY, Log::warn);
        thread = new Thread(this::run, "completion-folder");
        thread.start();
    }

    /** Before Redis and the rest of the application close: commits what was folded and leaves the group. */
    void stop(@Observes ShutdownEvent event) {
        if (thread == null) {
            return;
        }
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            consumer.subscribe(List.of(Topics.RESIZE_COMPLETIONS), folded);
            long nextCheck = 0;
            while (running) {
                if (System.nanoTime() - nextCheck >= 0) {
                    // Redis restarted empty or replaced: rebuild the view first (or wait for the instance that
                    // does); the live fold would otherwise meet tasks that are not restored yet.
                    while (running && !view.ensureCurrent()) {
                        pausedPoll(Duration.ofMillis(500));
                    }
                    consumer.resume(consumer.paused());
                    nextCheck = System.nanoTime() + VIEW_CHECK_EVERY.toNanos();
                }
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) {
                    foldUntilDone(records);
                }
                folded.commitWhenDue();
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            Log.errorf(e, "the completion folder stopped");
        } finally {
            folded.commitNow(Duration.ofSeconds(2));
            consumerMetrics.close();
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Folds the records, retrying while Redis is away; the partitions stay paused meanwhile. */
    private void foldUntilDone(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> sources = new ArrayList<>(records.count());
        List<ResizeCompleted> events = decode(records, sources);
        Duration backoff = RETRY_FIRST;
        boolean retry = false;
        while (!events.isEmpty()) {
            try {
                // Redis may have come back empty meanwhile: the view is rebuilt first (here, or by another
                // instance), or these events would meet tasks not restored yet.
                if (retry && !view.ensureCurrent()) {
                    throw new IllegalStateException("the task view is not rebuilt yet");
                }
                retry = true;
                List<TaskStore.Folded> outcomes = store.fold(events).await().atMost(Duration.ofSeconds(30));
                if (outcomes.contains(TaskStore.Folded.VIEW_MISSING)) {
                    throw new IllegalStateException("Redis holds no task view (it restarted empty)");
                }
                count(events, sources, outcomes);
                break;
            } catch (RuntimeException e) {
                if (!running) {
                    // Not folded, not committed: the next member folds them.
                    throw new WakeupException();
                }
                Log.warnf("folding %d completion events failed, retrying in %d ms: %s", events.size(),
                        backoff.toMillis(), e.getMessage());
                long until = System.nanoTime() + backoff.toNanos();
                while (running && System.nanoTime() < until) {
                    pausedPoll(Duration.ofMillis(Math.min(100, backoff.toMillis())));
                }
                backoff = backoff.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : backoff.multipliedBy(2);
            }
        }
        consumer.resume(consumer.paused());
        Set<TopicPartition> owned = consumer.assignment();
        for (TopicPartition partition : records.partitions()) {
            if (owned.contains(partition)) {
                // A partition revoked meanwhile is another member's now: it folds these again, harmlessly.
                List<ConsumerRecord<String, byte[]>> list = records.records(partition);
                folded.finished(partition, list.get(list.size() - 1).offset());
            }
        }
    }

    /**
     * A poll that folds nothing but keeps this member alive in the group, its partitions paused. A partition assigned
     * by a rebalance inside this poll is not paused yet, and the same poll may return its records: they are put back
     * (seek to the first), so that they are folded later, never skipped (the wait for the view's rebuild dropped them
     * once, and their tasks stayed PENDING: FoldWaitRebalanceTest).
     */
    private void pausedPoll(Duration timeout) {
        consumer.pause(consumer.assignment());
        ConsumerRecords<String, byte[]> early = consumer.poll(timeout);
        for (TopicPartition partition : early.partitions()) {
            consumer.seek(partition, early.records(partition).get(0).offset());
        }
    }

    /** The events that could be decoded; {@code sources} gets the record of each, in the same order. */
    private List<ResizeCompleted> decode(ConsumerRecords<String, byte[]> records,
            List<ConsumerRecord<String, byte[]>> sources) {
        List<ResizeCompleted> events = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            ResizeCompleted event = null;
            if (record.value() != null) {
                try {
                    event = json.readValue(record.value(), ResizeCompleted.class);
                } catch (Exception e) {
                    // logged below
                }
            }
            if (event == null || event.taskId() == null || event.status() == null) {
                Log.warnf("skipping a completion event that could not be decoded (partition %d, offset %d)",
                        record.partition(), record.offset());
            } else {
                events.add(event);
                sources.add(record);
            }
        }
        return events;
    }

    /**
     * Counts each terminal event once, as the fold takes it from the topic: completed when it changed the view, or
     * when a rebuild of the view had applied it already (a task that finished while Redis was away); processed again
     * when the task was terminal before. After a rebuild, an outcome sent twice for one task within the rebuilt range
     * counts as completed twice, the price of not reading the fold group's offsets during a rebuild.
     */
    private void count(List<ResizeCompleted> events, List<ConsumerRecord<String, byte[]>> sources,
            List<TaskStore.Folded> outcomes) {
        if (outcomes.contains(TaskStore.Folded.NOT_NEWER)) {
            try {
                view.refreshRebuiltUpTo();
            } catch (RuntimeException e) {
                Log.debugf("could not read what the last rebuild folded: %s", e.getMessage());
            }
        }
        for (int i = 0; i < events.size(); i++) {
            ResizeCompleted event = events.get(i);
            TaskStore.Folded outcome = outcomes.get(i);
            ConsumerRecord<String, byte[]> source = sources.get(i);
            if (event.status().isTerminal() && (outcome == TaskStore.Folded.APPLIED
                    || outcome == TaskStore.Folded.NOT_NEWER && view.foldedByRebuild(source.partition(),
                            source.offset()))) {
                metrics.completed(event);
            } else if (outcome == TaskStore.Folded.NOT_NEWER && event.status().isTerminal()) {
                // Only a task that is terminal already refuses a terminal event.
                metrics.processedAgain();
            } else if (outcome == TaskStore.Folded.UNKNOWN_TASK) {
                metrics.unknownTask();
                Log.debugf("task %s: %s not folded, the view holds no such task", event.taskId(), event.status());
            }
        }
    }
}
