package dev.thumbnail.worker.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.ResizeRequested;
import dev.thumbnail.contracts.TaskStatus;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.contracts.kafka.FinishedOffsets;
import dev.thumbnail.imagemeta.ImageFormat;
import dev.thumbnail.imagemeta.ImageHeader;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.testfixtures.TestKafka;
import dev.thumbnail.worker.pipeline.BeforeDecode;
import dev.thumbnail.worker.pipeline.PipelineException;
import dev.thumbnail.worker.task.TaskProcessor;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@link CrashGuard} on the real broker: consumers of a group of their own take one request in turn, and a worker
 * that ends mid-decode is a consumer that leaves without committing anything more (what the group sees of a crash,
 * apart from the session timeout). Then the worker itself: a guarded image made, its mark cleared.
 */
@QuarkusTest
@WithTestResource(value = KafkaRedisTestResource.class, initArgs = @ResourceArg(name = KafkaRedisTestResource.TOPICS,
        value = Topics.RESIZE_REQUESTS + "," + Topics.RESIZE_COMPLETIONS))
class CrashGuardTest {

    private static final long GUARDED_PIXELS = 4_000_000;
    private static final ImageHeader LARGE = new ImageHeader(ImageFormat.JPEG, 4000, 3000, 1, 1, 12_000_000);
    private static final ImageHeader SMALL = new ImageHeader(ImageFormat.JPEG, 699, 393, 1, 1, 699 * 393);
    private static final ImageHeader SMALL_DECODED_WHOLE = new ImageHeader(ImageFormat.WEBP, 1000, 1000, 1, 1,
            1_000_000, true);

    @Inject
    TaskProcessor processor;

    private final String topic = "crash-guard-" + UUID.randomUUID();
    private final String group = "crash-guard-" + UUID.randomUUID();
    private final String taskId = UUID.randomUUID().toString();
    private long offset;

    @BeforeEach
    void oneRequest() {
        SharedInfrastructure.get().kafka().ensureTopic(topic, 1, Map.of());
        offset = TestKafka.send(topic, taskId, "a request").offset();
    }

    @Test
    void theThirdTakeOfARequestThatEndedTwoWorkersFailsWithWorkerLost() throws Exception {
        for (int take = 1; take <= CrashGuard.MAX_LOST; take++) {
            try (Take worker = new Take()) {
                worker.guard.before(worker.record, taskId).check(LARGE);
                // ... and the worker ends while decoding: nothing more is committed.
            }
            assertCommitted(offset, CrashGuard.mark(taskId, take), "take " + take + " must leave its mark on the "
                    + "request's own offset");
        }
        try (Take third = new Take()) {
            assertEquals(offset, third.record.offset(), "the request must be delivered again");
            PipelineException refused = assertThrows(PipelineException.class,
                    () -> third.guard.before(third.record, taskId).check(LARGE));
            assertEquals(ErrorCodes.WORKER_LOST, refused.code());
            assertEquals(ErrorCodes.publicMessage(ErrorCodes.WORKER_LOST), refused.getMessage());
            // Refused is an outcome: the request is finished, and the next one comes.
            third.finish();
            third.finished.commitNow(Duration.ofSeconds(5));
        }
        assertCommitted(offset + 1, "", "the refused request is finished");
    }

    @Test
    void aFinishedRequestsMarkGoesWithTheConsumersNextCommit() throws Exception {
        try (Take worker = new Take()) {
            worker.guard.before(worker.record, taskId).check(LARGE);
            assertCommitted(offset, CrashGuard.mark(taskId, 1), "marked");
            worker.finish();
            assertCommitted(offset, CrashGuard.mark(taskId, 1), "a finished take must cost no commit of its own");
            worker.finished.commitNow(Duration.ofSeconds(5));
            assertCommitted(offset + 1, "", "finished");
        }
        // Taken by no one again: the request after it would come next.
        try (KafkaConsumer<String, String> next = consumer()) {
            next.subscribe(List.of(topic));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() - Math.min(until, quietUntil) < 0) {
                assertTrue(next.poll(Duration.ofMillis(200)).isEmpty(), "a finished request was delivered again");
                if (quietUntil == Long.MAX_VALUE && !next.assignment().isEmpty()) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
            assertFalse(next.assignment().isEmpty(), "the next member was given no partition");
        }
    }

    @Test
    void aRequestHandedBackIsNotCountedAsAWorkerLost() throws Exception {
        for (int take = 1; take <= CrashGuard.MAX_LOST + 1; take++) {
            try (Take worker = new Take()) {
                worker.guard.before(worker.record, taskId).check(LARGE);
                worker.guard.ended(true);
            }
            assertCommitted(offset, "", "take " + take);
        }
    }

    /**
     * Two consumers of one process: the images decoded beside the culprit come back with it after the restart, so a
     * request taken again waits until no other guarded image is being decoded, and only then counts its take.
     */
    @Test
    void aRequestTakenAgainIsDecodedWhileNoOtherGuardedImageIs() throws Exception {
        try (Take first = new Take()) {
            first.guard.before(first.record, taskId).check(LARGE);
        }
        String otherTopic = "crash-guard-" + UUID.randomUUID();
        String otherTask = UUID.randomUUID().toString();
        SharedInfrastructure.get().kafka().ensureTopic(otherTopic, 1, Map.of());
        TestKafka.send(otherTopic, otherTask, "another request");
        ReadWriteLock process = new ReentrantReadWriteLock();
        ExecutorService secondSlot = Executors.newSingleThreadExecutor();
        try (Take other = new Take(otherTopic, "crash-guard-" + UUID.randomUUID(), process);
                Take suspect = new Take(topic, group, process)) {
            other.guard.before(other.record, otherTask).check(LARGE);
            Future<?> decoding = secondSlot.submit(() -> {
                suspect.guard.before(suspect.record, taskId).check(LARGE);
                return null;
            });
            assertThrows(TimeoutException.class, () -> decoding.get(1, TimeUnit.SECONDS),
                    "the suspect must wait while another guarded image is decoded");
            assertCommitted(offset, CrashGuard.mark(taskId, 1), "a take that waits has not begun");

            other.finish();
            decoding.get(10, TimeUnit.SECONDS);
            assertCommitted(offset, CrashGuard.mark(taskId, 2), "the suspect's own take");
            secondSlot.submit(suspect::finish).get(10, TimeUnit.SECONDS);
        } finally {
            secondSlot.shutdownNow();
        }
    }

    @Test
    void smallImagesAreNotGuardedButOnesDecodedWholeAre() throws Exception {
        try (Take worker = new Take()) {
            worker.guard.before(worker.record, taskId).check(SMALL);
            assertNull(committed(), "an image under the guarded size must cost no commit");
            worker.guard.before(worker.record, taskId).check(SMALL_DECODED_WHOLE);
            assertCommitted(offset, CrashGuard.mark(taskId, 1), "an image decoded whole is guarded whatever its size");
        }
    }

    @Test
    void aMarkCountsOnlyForItsOwnTask() {
        assertEquals(2, CrashGuard.takes(CrashGuard.mark(taskId, 2), taskId));
        assertEquals(0, CrashGuard.takes(CrashGuard.mark(UUID.randomUUID().toString(), 2), taskId));
        assertEquals(0, CrashGuard.takes("", taskId));
        assertEquals(0, CrashGuard.takes(null, taskId));
        assertEquals(0, CrashGuard.takes("decoding " + taskId + " take two", taskId));
    }

    /**
     * The worker itself: while it decodes an image over the guarded size (49 MP, a tenth of a second or more), the
     * group's committed offset carries the mark; once it is made, the mark goes.
     */
    @Test
    void theWorkerMarksAGuardedImageWhileItDecodesItAndClearsTheMark() throws Exception {
        String task = UUID.randomUUID().toString();
        storeOriginal(task, TestImages.encoded(7000, 7000, "png"));
        String mark = CrashGuard.mark(task, 1);
        boolean seen = false;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            RecordMetadata sent = TestKafka.send(Topics.RESIZE_REQUESTS, task,
                    ResizeWorkerContract.requestJson(task, BlobKeys.original(task), "FIT"));
            TopicPartition partition = new TopicPartition(Topics.RESIZE_REQUESTS, sent.partition());
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            OffsetAndMetadata committed = null;
            while (System.nanoTime() < until && (committed == null || committed.offset() <= sent.offset())) {
                committed = admin.listConsumerGroupOffsets(Topics.WORKER_GROUP).partitionsToOffsetAndMetadata()
                        .get().get(partition);
                seen |= committed != null && committed.offset() == sent.offset() && mark.equals(committed.metadata());
                Thread.sleep(5);
            }
            assertTrue(seen, "the mark was never committed while the worker decoded the image");
            assertNotNull(committed);
            assertTrue(committed.offset() > sent.offset(), "not committed past the request: " + committed);
            assertEquals("", committed.metadata());
        }
        assertEquals(TaskStatus.SUCCESS, outcome(task).status());
    }

    /** The processor's side: the guard's refusal is the task's outcome, with the service's sentence. */
    @Test
    void aRefusalBeforeDecodingFailsTheTaskWithItsCode() throws Exception {
        String task = UUID.randomUUID().toString();
        storeOriginal(task, TestImages.encoded(640, 480, "png"));
        ImageHeader[] seen = new ImageHeader[1];

        assertTrue(processor.process(new ResizeRequested(ResizeRequested.CURRENT_VERSION, task, "owner",
                BlobKeys.original(task), "x.png", "image/png", 1, new ResizeRequested.Target(100, 100,
                        ResizeRequested.Mode.FIT), Instant.now()), new TaskProcessor.Cancellation(), header -> {
                            seen[0] = header;
                            throw new PipelineException(ErrorCodes.WORKER_LOST, (Throwable) null);
                        }));

        assertEquals(640, seen[0].width(), "the check must see the image's header");
        ResizeCompleted outcome = outcome(task);
        assertEquals(TaskStatus.FAILURE, outcome.status());
        assertEquals(ErrorCodes.WORKER_LOST, outcome.error().code());
        assertEquals(ErrorCodes.publicMessage(ErrorCodes.WORKER_LOST), outcome.error().message());
        assertFalse(Files.exists(SharedInfrastructure.get().bucket().resolve(BlobKeys.thumbnail(task, "PNG"))),
                "nothing may be decoded after a refusal");
    }

    /**
     * A request delivered again after a take made its thumbnail (that worker ended before its commit, as at-least-once
     * allows), and refused at this take, here by the crash guard: the view keeps the first outcome, but the compacted
     * topic keeps the last, so this take sends the stored thumbnail's SUCCESS again rather than a FAILURE that a
     * rebuild of the view would turn the task into. The original turned by EXIF: its size as displayed, as the
     * first take reported it.
     */
    @Test
    void aRefusalAfterAnEarlierTakeMadeTheThumbnailSendsThatSuccessAgain() throws Exception {
        String task = UUID.randomUUID().toString();
        storeOriginal(task, TestImages.jpegWithExif(TestImages.encoded(640, 480, "jpg"), TestImages.exifTiff(6)));
        assertTrue(processor.process(request(task), new TaskProcessor.Cancellation(), BeforeDecode.NONE));
        ResizeCompleted first = outcome(task);
        assertEquals(TaskStatus.SUCCESS, first.status(), first.toString());
        Path thumbnail = SharedInfrastructure.get().bucket().resolve(BlobKeys.thumbnail(task, "JPEG"));
        byte[] made = Files.readAllBytes(thumbnail);

        assertTrue(processor.process(request(task), new TaskProcessor.Cancellation(), header -> {
            throw new PipelineException(ErrorCodes.WORKER_LOST, (Throwable) null);
        }));

        List<ResizeCompleted> outcomes = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> CompletionEvents.of(task).stream().filter(event -> event.status().isTerminal()).toList(),
                        found -> found.size() >= 2);
        ResizeCompleted again = outcomes.get(1);
        assertEquals(TaskStatus.SUCCESS, again.status(), outcomes.toString());
        assertEquals(first.original(), again.original(), outcomes.toString());
        assertEquals(List.of(480, 640), List.of(again.original().width(), again.original().height()));
        assertEquals(first.thumbnail(), again.thumbnail(), outcomes.toString());
        assertArrayEquals(made, Files.readAllBytes(thumbnail), "the thumbnail is the first take's");
    }

    /**
     * The earlier take stored the thumbnail and ended before sending its SUCCESS: the refused take's SUCCESS is the
     * task's only outcome. A refusal with nothing stored stays the FAILURE it is.
     */
    @Test
    void aRefusalAfterATakeThatStoredTheThumbnailButSentNothingSendsItsSuccess() throws Exception {
        String made = UUID.randomUUID().toString();
        storeOriginal(made, TestImages.encoded(613, 624, "png"));
        assertTrue(processor.process(request(made), new TaskProcessor.Cancellation(), BeforeDecode.NONE));
        ResizeCompleted elsewhere = outcome(made);
        String task = UUID.randomUUID().toString();
        storeOriginal(task, TestImages.encoded(613, 624, "png"));
        Path thumbnail = SharedInfrastructure.get().bucket().resolve(BlobKeys.thumbnail(task, "PNG"));
        Files.copy(SharedInfrastructure.get().bucket().resolve(BlobKeys.thumbnail(made, "PNG")), thumbnail);
        BeforeDecode refuse = header -> {
            throw new PipelineException(ErrorCodes.WORKER_LOST, (Throwable) null);
        };

        assertTrue(processor.process(request(task), new TaskProcessor.Cancellation(), refuse));

        ResizeCompleted outcome = outcome(task);
        assertEquals(TaskStatus.SUCCESS, outcome.status(), outcome.toString());
        assertEquals(BlobKeys.thumbnail(task, "PNG"), outcome.thumbnail().key());
        assertEquals(List.of(98L, 100L, Files.size(thumbnail)), List.of((long) outcome.thumbnail().width(),
                (long) outcome.thumbnail().height(), outcome.thumbnail().sizeBytes()));
        assertEquals(elsewhere.original().width(), outcome.original().width());
        assertEquals(BlobKeys.original(task), outcome.original().key());

        String nothingStored = UUID.randomUUID().toString();
        storeOriginal(nothingStored, TestImages.encoded(613, 624, "png"));
        assertTrue(processor.process(request(nothingStored), new TaskProcessor.Cancellation(), refuse));
        assertEquals(ErrorCodes.WORKER_LOST, outcome(nothingStored).error().code());
    }

    private static ResizeRequested request(String task) {
        return new ResizeRequested(ResizeRequested.CURRENT_VERSION, task, "owner", BlobKeys.original(task), "x",
                "image/jpeg", 1, new ResizeRequested.Target(100, 100, ResizeRequested.Mode.FIT), Instant.now());
    }

    private static void storeOriginal(String task, byte[] image) throws Exception {
        Path original = SharedInfrastructure.get().bucket().resolve(BlobKeys.original(task));
        Files.createDirectories(original.getParent());
        Files.write(original, image);
    }

    /** The task's one outcome (SUCCESS or FAILURE), once it is on the topic. */
    private static ResizeCompleted outcome(String task) {
        List<ResizeCompleted> outcomes = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> CompletionEvents.of(task).stream().filter(event -> event.status().isTerminal()).toList(),
                        found -> !found.isEmpty());
        assertEquals(1, outcomes.size(), "outcomes " + outcomes);
        return outcomes.get(0);
    }

    private void assertCommitted(long expectedOffset, String expectedMetadata, String what) throws Exception {
        OffsetAndMetadata committed = committed();
        assertNotNull(committed, what + ": nothing committed");
        assertEquals(expectedOffset, committed.offset(), what);
        assertEquals(expectedMetadata, committed.metadata(), what);
    }

    private OffsetAndMetadata committed() throws Exception {
        return committed(group, new TopicPartition(topic, 0));
    }

    private static OffsetAndMetadata committed(String group, TopicPartition partition) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().get(partition);
        }
    }

    /** A member of the test's group, reading from the committed offset, committing only when told to. */
    private KafkaConsumer<String, String> consumer() {
        return consumer(group);
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1), new StringDeserializer(), new StringDeserializer());
    }

    /** One member of the group taking the request, as a worker's consumer does (from the committed offset). */
    private final class Take implements AutoCloseable {
        final KafkaConsumer<String, String> consumer;
        final FinishedOffsets finished;
        final CrashGuard guard;
        final ConsumerRecord<String, String> record;

        /** In a process of its own (a worker that ends takes its lock with it). */
        Take() {
            this(topic, group, new ReentrantReadWriteLock());
        }

        Take(String topic, String group, ReadWriteLock decoding) {
            consumer = consumer(group);
            finished = new FinishedOffsets(consumer, Duration.ofHours(1), message -> {
                throw new AssertionError(message);
            });
            guard = new CrashGuard(consumer, finished, GUARDED_PIXELS, decoding);
            consumer.subscribe(List.of(topic), guard);
            ConsumerRecord<String, String> taken = null;
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (taken == null && System.nanoTime() < until) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    taken = record;
                }
            }
            assertNotNull(taken, "the request was not delivered");
            record = taken;
        }

        /** The take ends with the request done, as RequestConsumers ends one. */
        void finish() {
            finished.finished(new TopicPartition(record.topic(), record.partition()), record.offset());
            guard.ended(false);
        }

        /** Leaves the group without committing: closing with auto-commit off commits nothing. */
        @Override
        public void close() {
            consumer.close();
        }
    }
}
