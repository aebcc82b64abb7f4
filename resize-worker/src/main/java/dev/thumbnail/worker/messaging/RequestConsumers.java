package dev.thumbnail.worker.messaging;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.JsonNode;
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

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.ResizeRequested;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.contracts.kafka.FinishedOffsets;
import dev.thumbnail.contracts.kafka.KafkaClients;
import dev.thumbnail.worker.config.WorkerConfig;
import dev.thumbnail.worker.task.TaskProcessor;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;

/**
 * The worker's members of the {@code resize-worker} consumer group: one Kafka consumer per processing slot
 * ({@code thumbnail.worker.concurrency}), each on its own thread, taking its partitions' requests in order and making
 * each thumbnail there, then committing the offsets it has finished (at-least-once: a crash or a lost partition
 * redelivers, and reprocessing is idempotent). No hand-off between threads per request: measured, a messaging
 * framework's dispatch, context propagation and acknowledgement tracking cost the worker about 0.4 ms of CPU per image
 * (issue 11), for a job this simple.
 * <p>
 * A dead worker's partitions move to the others within seconds ({@code session.timeout.ms} 6 s, the broker's
 * minimum, with cooperative rebalancing, so the other members' partitions keep flowing). A request whose image ends
 * the worker itself is refused at its third take ({@link CrashGuard}). On SIGTERM each consumer
 * stops taking requests, hands back the one in progress (it is aborted, not failed: its offset is not committed, so
 * another member makes it), commits what it finished and leaves the group at once.
 */
@ApplicationScoped
public class RequestConsumers {

    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration COMMIT_EVERY = Duration.ofSeconds(1);
    /** Requests taken per poll; each is done before the next poll, so few: the backlog stays visible in Kafka. */
    static final int MAX_POLL_RECORDS = 4;

    private final TaskProcessor processor;
    private final ObjectMapper json;
    private final MeterRegistry registry;
    private final Map<String, Object> consumerConfig;
    private final int slots;
    private final long guardedPixels;
    /** The crash guards' lock, one for the process: a suspect request is decoded alone among the guarded ones. */
    private final ReadWriteLock decoding = new ReentrantReadWriteLock();
    private final List<Member> members = new CopyOnWriteArrayList<>();

    public RequestConsumers(TaskProcessor processor, ObjectMapper json, MeterRegistry registry,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, WorkerConfig config) {
        this.processor = processor;
        this.json = json;
        this.registry = registry;
        this.slots = Math.max(1, config.worker().concurrency());
        this.guardedPixels = config.worker().crashGuardPixels();
        this.consumerConfig = consumerConfig(kafkaConfig, config);
    }

    static Map<String, Object> consumerConfig(Map<String, Object> kafkaConfig, WorkerConfig config) {
        Map<String, Object> consumer = KafkaClients.only(kafkaConfig, ConsumerConfig.configNames());
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, Topics.WORKER_GROUP);
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        // A poll's requests may each take up to the image deadline.
        // A record's longest run: the bucket's patience for the original and for the thumbnail, the image deadline,
        // the look for a stored thumbnail after a failure, and the send; past max.poll.interval.ms the group would
        // count the member as stuck and move its partitions.
        long perPoll = MAX_POLL_RECORDS * (config.image().timeout().toMillis()
                + 2 * config.worker().storagePatience().toMillis() + TaskProcessor.EARLIER_TAKE_LOOKUP.toMillis()
                + config.worker().sendTimeout().toMillis());
        consumer.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Math.max(300_000, perPoll));
        consumer.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.worker().sessionTimeout().toMillis());
        consumer.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                (int) Math.max(500, config.worker().sessionTimeout().toMillis() / 3));
        consumer.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                CooperativeStickyAssignor.class.getName());
        return consumer;
    }

    void start(@Observes StartupEvent event) {
        for (int i = 0; i < slots; i++) {
            Map<String, Object> config = new HashMap<>(consumerConfig);
            config.put(ConsumerConfig.CLIENT_ID_CONFIG, "resize-worker-requests-" + i);
            Member member = new Member(new KafkaConsumer<>(config, new StringDeserializer(),
                    new ByteArrayDeserializer()));
            members.add(member);
            member.thread.start();
        }
    }

    /**
     * How the processing slots are: configured, with a consumer thread running, and ended while the worker was not
     * stopping (a failure outside any task: the slot is gone until the process restarts).
     */
    public record Slots(int configured, int running, int ended) {
    }

    public Slots slots() {
        int running = 0;
        int ended = 0;
        for (Member member : members) {
            if (member.thread.isAlive()) {
                running++;
            } else if (member.running) {
                ended++;
            }
        }
        return new Slots(slots, running, ended);
    }

    /** Before the Kafka clients and the rest of the application close: hands the work in progress back. */
    void stop(@Observes ShutdownEvent event) {
        members.forEach(Member::stop);
        for (Member member : members) {
            try {
                member.thread.join(Duration.ofSeconds(5).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One consumer, its thread, and the offsets it has finished but not yet committed. */
    private final class Member {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Thread thread;
        private final KafkaClientMetrics metrics;
        private final FinishedOffsets finished;
        private final CrashGuard guard;
        private final TaskProcessor.Cancellation cancellation = new TaskProcessor.Cancellation();
        private volatile boolean running = true;

        Member(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
            this.metrics = new KafkaClientMetrics(consumer);
            this.metrics.bindTo(registry);
            this.finished = new FinishedOffsets(consumer, COMMIT_EVERY, Log::warn);
            this.guard = new CrashGuard(consumer, finished, guardedPixels, decoding);
            this.thread = new Thread(this::run, "resize-requests-" + members.size());
        }

        void stop() {
            running = false;
            cancellation.cancel();
            consumer.wakeup();
        }

        private void run() {
            try {
                consumer.subscribe(List.of(Topics.RESIZE_REQUESTS), guard);
                while (running) {
                    // Per partition of this poll, the first record not finished: where to read again after a failure.
                    Map<TopicPartition, Long> unfinished = new HashMap<>();
                    try {
                        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                        for (ConsumerRecord<String, byte[]> record : records) {
                            unfinished.putIfAbsent(new TopicPartition(record.topic(), record.partition()),
                                    record.offset());
                        }
                        for (ConsumerRecord<String, byte[]> record : records) {
                            boolean done = false;
                            boolean returned = false;
                            try {
                                done = running && handle(record);
                                returned = true;
                            } finally {
                                guard.ended(returned && !done);
                            }
                            if (!done) {
                                break;
                            }
                            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                            finished.finished(partition, record.offset());
                            unfinished.put(partition, record.offset() + 1);
                            // After each request, not each poll: a poll's requests may take minutes, and a finished
                            // request's crash-guard mark goes with this commit.
                            finished.commitWhenDue();
                        }
                        // After a poll without requests too: a failed asynchronous commit is carried by the next.
                        finished.commitWhenDue();
                    } catch (WakeupException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        // The consumer itself failed (a task's failures are outcomes). Its position is already past
                        // the whole poll: without going back, the records after the failed one would be skipped, and
                        // a later commit would count them as done. Keep this slot alive rather than lose it for good.
                        Log.errorf(e, "the resize-requests consumer %s failed; reading again from its first unfinished "
                                + "records in 1 s", thread.getName());
                        rewind(unfinished);
                        if (cancellation.await(Duration.ofSeconds(1))) {
                            break;
                        }
                    }
                }
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException | Error e) {
                // Not a task's failure (those are outcomes) nor the consumer's (the loop goes on after those): the
                // slot ends. Nothing is lost, its uncommitted requests go to the group's other members; the liveness
                // check reports the worker down so that its supervisor restarts it with all its slots.
                Log.errorf(e, "the resize-requests consumer %s stopped; this worker now runs with a slot fewer and "
                        + "reports itself not live", thread.getName());
            } finally {
                finished.commitNow(Duration.ofSeconds(2));
                metrics.close();
                consumer.close(Duration.ofSeconds(2));
            }
        }

        private void rewind(Map<TopicPartition, Long> unfinished) {
            try {
                Set<TopicPartition> assigned = consumer.assignment();
                unfinished.forEach((partition, offset) -> {
                    if (assigned.contains(partition)) {
                        consumer.seek(partition, offset);
                    }
                });
            } catch (RuntimeException e) {
                // The next rebalance or restart reads from the committed offsets, which never pass an unfinished one.
                Log.warnf("the resize-requests consumer %s could not go back to its unfinished records: %s",
                        thread.getName(), e.getMessage());
            }
        }

        /** Processes one request; false when it was handed back (the worker is stopping) and must not count. */
        private boolean handle(ConsumerRecord<String, byte[]> record) {
            if (record.value() == null) {
                // A tombstone: the API withdrew a request it could not confirm (and answered 503). Its request, on
                // this partition before it, may have been made all the same: what it left goes.
                return !BlobKeys.isTaskId(record.key()) || processor.withdraw(record.key(), cancellation);
            }
            ResizeRequested request;
            try {
                request = json.readValue(record.value(), ResizeRequested.class);
            } catch (Exception e) {
                if (isOurs(record)) {
                    // The API's request for one of its tasks, which this worker cannot read (a newer API's field
                    // value): the task fails rather than stay PENDING until the retention.
                    return processor.refuse(record.key(), e, cancellation);
                }
                // A poison message must not block its partition; the API never writes one.
                Log.warnf("skipping a resize request that is not one (partition %d, offset %d)", record.partition(),
                        record.offset());
                return true;
            }
            if (!isOwnRequest(request.taskId(), request.originalKey())) {
                // The API derives the key from the task id; anything else is not a request of ours.
                Log.warnf("skipping a resize request with a malformed task id or original key (partition %d, offset %d)",
                        record.partition(), record.offset());
                return true;
            }
            return processor.process(request, cancellation, guard.before(record, request.taskId()));
        }

        /**
         * Whether a record this worker could not read is still recognisably a request the API wrote for one of its
         * tasks: a JSON object whose task id is the record key and whose original key is that task's own.
         */
        private boolean isOurs(ConsumerRecord<String, byte[]> record) {
            try {
                JsonNode tree = json.readTree(record.value());
                return tree != null && record.key() != null && record.key().equals(tree.path("taskId").asText(null))
                        && isOwnRequest(record.key(), tree.path("originalKey").asText(null));
            } catch (IOException e) {
                return false;
            }
        }

        /** The API derives the original's key from the task id; a request naming any other is not one of ours. */
        private static boolean isOwnRequest(String taskId, String originalKey) {
            return BlobKeys.isTaskId(taskId) && BlobKeys.original(taskId).equals(originalKey);
        }
    }
}
