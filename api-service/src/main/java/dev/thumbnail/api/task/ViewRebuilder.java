package dev.thumbnail.api.task;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.thumbnail.api.config.ApiConfig;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.ResizeRequested;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.contracts.kafka.KafkaClients;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Redis holds a view of the tasks, and the topics hold the tasks: when Redis comes back empty or is replaced (its
 * {@code run_id} is not the one the view was built for, or the marker is gone), the view is rebuilt from them. Every
 * request still within the retention is restored with its owner, filename, size and creation time (a withdrawn one,
 * followed by its tombstone, is not), then every completion event is folded again, forward only as always.
 * <p>
 * Runs on the completion folder's thread, between two polls, so the live fold waits meanwhile and never meets a task
 * that is not restored yet; one API instance rebuilds (a lock in Redis), the others' folders wait for it. While a
 * rebuild is under way, a task the view does not hold yet is answered 503 + Retry-After, not 404.
 */
@ApplicationScoped
public class ViewRebuilder {

    private static final int BATCH = 500;
    private static final Duration LOCK_TIME = Duration.ofMinutes(5);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(30);
    /** Takes the lock (KEYS[1]) for ARGV[2] ms when it is free or already holds this instance's id (ARGV[1]). */
    private static final String TAKE_LOCK = "local holder = redis.call('GET', KEYS[1]) "
            + "if holder == false or holder == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) "
            + "return 1 end return 0";
    /** Deletes the lock (KEYS[1]) only while it holds this instance's id (ARGV[1]). */
    private static final String RELEASE_LOCK =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private final RedisLink redis;
    private final TaskStore store;
    private final TaskChanges changes;
    private final ObjectMapper json;
    private final Map<String, Object> consumerConfig;
    private final Duration retention;
    private final String instance = UUID.randomUUID().toString();
    private volatile boolean rebuilding;
    /** Per partition of the completions topic, the offset below which the last rebuild folded every event. */
    private volatile Map<Integer, Long> rebuiltUpTo = Map.of();
    /** The run_id whose rebuild {@link #rebuiltUpTo} describes; used on the completion folder's thread only. */
    private String rebuiltFor;

    public ViewRebuilder(RedisLink redis, TaskStore store, TaskChanges changes, ObjectMapper json, ApiConfig config,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.redis = redis;
        this.store = store;
        this.changes = changes;
        this.json = json;
        this.retention = config.retention();
        this.consumerConfig = KafkaClients.only(kafkaConfig, ConsumerConfig.configNames());
        this.consumerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "api-service-view-rebuild");
        this.consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2_000);
    }

    /** This instance's id, the value of the rebuild lock while it holds it. */
    String instance() {
        return instance;
    }

    /** Whether the view may be missing tasks right now: reads of unknown tasks answer 503 meanwhile. */
    public boolean rebuilding() {
        return rebuilding;
    }

    /**
     * Whether the view may be incomplete, asked of Redis itself: a rebuild under way here or elsewhere, or the marker
     * gone (Redis came back empty, and the next check, within 2 s, starts the rebuild). For a task the view does not
     * hold, so that it answers 503 rather than 404 until the view is whole again.
     */
    public io.smallrye.mutiny.Uni<Boolean> mayBeIncomplete() {
        if (rebuilding) {
            return io.smallrye.mutiny.Uni.createFrom().item(true);
        }
        return redis.send(Request.cmd(Command.EXISTS).arg(TaskKeys.VIEW_BUILT_FOR))
                .map(exists -> exists == null || exists.toInteger() == 0);
    }

    /**
     * Checks the view and rebuilds it when Redis has restarted empty or been replaced; waits while another instance
     * rebuilds. Called by the completion folder between polls; Redis being away is left to the fold's own retries.
     *
     * @return true when the view is current (folding may go on)
     */
    boolean ensureCurrent() {
        try {
            String runId = runId();
            if (runId.equals(text(redis.send(Request.cmd(Command.GET).arg(TaskKeys.VIEW_BUILT_FOR))))) {
                // Perhaps rebuilt by another instance, or before this one started.
                learnRebuild(runId);
                rebuilding = false;
                return true;
            }
            rebuilding = true;
            // Free, or our own left by an attempt whose release failed (Redis away mid-rebuild): not a reason to
            // wait for ourselves until it expires.
            Response locked = await(redis.send(Request.cmd(Command.EVAL).arg(TAKE_LOCK).arg(1)
                    .arg(TaskKeys.VIEW_REBUILD_LOCK).arg(instance).arg(LOCK_TIME.toMillis())));
            if (locked == null || locked.toInteger() == 0) {
                return false; // another instance rebuilds; the fold waits for it
            }
            try {
                Map<Integer, Long> upTo = rebuild();
                Request record = Request.cmd(Command.HSET).arg(TaskKeys.VIEW_REBUILT_UP_TO);
                upTo.forEach((partition, offset) -> record.arg(partition.toString()).arg(offset.toString()));
                await(redis.send(Request.cmd(Command.DEL).arg(TaskKeys.VIEW_REBUILT_UP_TO)));
                if (!upTo.isEmpty()) {
                    await(redis.send(record));
                }
                rebuiltUpTo = Map.copyOf(upTo);
                rebuiltFor = runId;
                await(redis.send(Request.cmd(Command.SET).arg(TaskKeys.VIEW_BUILT_FOR).arg(runId)));
                rebuilding = false;
                announceRebuilt();
                return true;
            } finally {
                // Only if still ours: after the lock time another instance may hold it.
                await(redis.send(Request.cmd(Command.EVAL).arg(RELEASE_LOCK).arg(1).arg(TaskKeys.VIEW_REBUILD_LOCK)
                        .arg(instance)));
            }
        } catch (RuntimeException e) {
            Log.warnf("could not check or rebuild the task view, trying again shortly: %s", e.getMessage());
            return false;
        }
    }

    /**
     * The rebuild applied outcomes without announcing them: every instance's followers of a task (and of all tasks)
     * are told to read again. A follower that misses this (its instance's subscription down at the time) reads again
     * when the subscription is made again.
     */
    private void announceRebuilt() {
        try {
            changes.announceRebuilt().await().atMost(REDIS_TIMEOUT);
        } catch (RuntimeException e) {
            Log.warnf("could not tell the API instances that the task view was rebuilt: %s", e.getMessage());
        }
    }

    /**
     * Whether the last rebuild of the view folded the completion event at {@code offset} of {@code partition}: the
     * live fold then finds it applied already, which is not a task processed again.
     */
    boolean foldedByRebuild(int partition, long offset) {
        Long end = rebuiltUpTo.get(partition);
        return end != null && offset < end;
    }

    /**
     * Reads what the last rebuild folded again when the view was rebuilt since this instance last looked (by another
     * instance, say): for the fold to ask {@link #foldedByRebuild} about events it finds applied already, a rare case.
     *
     * @throws RuntimeException when Redis does not answer
     */
    void refreshRebuiltUpTo() {
        String builtFor = text(redis.send(Request.cmd(Command.GET).arg(TaskKeys.VIEW_BUILT_FOR)));
        if (!builtFor.isEmpty()) {
            learnRebuild(builtFor);
        }
    }

    /** Reads what the rebuild for {@code runId} folded, unless that is what this instance knows already. */
    private void learnRebuild(String runId) {
        if (runId.equals(rebuiltFor)) {
            return;
        }
        Response hash = await(redis.send(Request.cmd(Command.HGETALL).arg(TaskKeys.VIEW_REBUILT_UP_TO)));
        Map<Integer, Long> upTo = new HashMap<>();
        if (hash != null) {
            for (String partition : hash.getKeys()) {
                upTo.put(Integer.valueOf(partition), hash.get(partition).toLong());
            }
        }
        rebuiltUpTo = Map.copyOf(upTo);
        rebuiltFor = runId;
    }

    /** Rebuilds the view; returns, per partition of the completions topic, the offset it folded up to. */
    private Map<Integer, Long> rebuild() {
        long start = System.nanoTime();
        Log.info("the task view is empty or from another Redis: rebuilding it from the topics");
        int[] tasks = { 0 };
        int[] events = { 0 };
        Map<Integer, Long> upTo = new HashMap<>();
        Instant oldest = Instant.now().minus(retention);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            // Requests, one partition at a time: a task's request and its withdrawal share its partition.
            for (TopicPartition partition : partitions(consumer, Topics.RESIZE_REQUESTS)) {
                Map<String, NewTask> restored = new LinkedHashMap<>();
                readToEnd(consumer, partition, record -> {
                    if (record.value() == null) {
                        restored.remove(record.key());
                        return;
                    }
                    ResizeRequested request = decode(record, ResizeRequested.class);
                    if (request != null && request.owner() != null && request.requestedAt() != null
                            && request.requestedAt().isAfter(oldest)) {
                        restored.put(request.taskId(), new NewTask(request.taskId(), request.owner(),
                                request.originalFilename(), request.contentType(), request.sizeBytes(),
                                request.originalKey(), request.requestedAt()));
                    }
                });
                List<NewTask> batch = new ArrayList<>(BATCH);
                for (NewTask task : restored.values()) {
                    batch.add(task);
                    if (batch.size() == BATCH) {
                        tasks[0] += restore(batch);
                    }
                }
                tasks[0] += restore(batch);
            }
            // Then every completion, in order per partition; events of tasks not restored are ignored by the fold.
            for (TopicPartition partition : partitions(consumer, Topics.RESIZE_COMPLETIONS)) {
                List<ResizeCompleted> batch = new ArrayList<>(BATCH);
                long end = readToEnd(consumer, partition, record -> {
                    ResizeCompleted event = record.value() == null ? null : decode(record, ResizeCompleted.class);
                    if (event != null && event.taskId() != null && event.status() != null) {
                        batch.add(event);
                        if (batch.size() == BATCH) {
                            events[0] += replay(batch);
                        }
                    }
                });
                events[0] += replay(batch);
                upTo.put(partition.partition(), end);
            }
        }
        Log.infof("the task view is rebuilt: %d tasks restored, %d completion events folded, in %d ms", tasks[0],
                events[0], (System.nanoTime() - start) / 1_000_000);
        return upTo;
    }

    private int restore(List<NewTask> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        int count = batch.size();
        store.restore(List.copyOf(batch)).await().atMost(REDIS_TIMEOUT);
        batch.clear();
        return count;
    }

    private int replay(List<ResizeCompleted> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        int count = batch.size();
        store.replay(List.copyOf(batch)).await().atMost(REDIS_TIMEOUT);
        batch.clear();
        return count;
    }

    private interface RecordHandler {
        void accept(ConsumerRecord<String, byte[]> record);
    }

    /** Every record of {@code partition} up to its end when this started; returns that end offset. */
    private static long readToEnd(KafkaConsumer<String, byte[]> consumer, TopicPartition partition,
            RecordHandler handler) {
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
        while (consumer.position(partition, Duration.ofSeconds(30)) < end) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1)).records(partition)) {
                if (record.offset() < end) {
                    handler.accept(record);
                }
            }
        }
        return end;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
            partitions.add(new TopicPartition(topic, info.partition()));
        }
        return partitions;
    }

    private <T> T decode(ConsumerRecord<String, byte[]> record, Class<T> type) {
        try {
            return json.readValue(record.value(), type);
        } catch (Exception e) {
            return null; // skipped, as the live consumers skip it
        }
    }

    private String runId() {
        String info = text(redis.send(Request.cmd(Command.INFO).arg("server")));
        Map<String, String> fields = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        String runId = fields.get("run_id");
        if (runId == null) {
            throw new IllegalStateException("Redis INFO gave no run_id");
        }
        return runId;
    }

    private static String text(io.smallrye.mutiny.Uni<Response> reply) {
        Response response = await(reply);
        return response == null ? "" : response.toString();
    }

    private static Response await(io.smallrye.mutiny.Uni<Response> reply) {
        return reply.await().atMost(REDIS_TIMEOUT);
    }
}
