package dev.thumbnail.worker.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.TaskStatus;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.testfixtures.TestKafka;
import dev.thumbnail.storage.Bucket;
import dev.thumbnail.storage.FileBucket;

/**
 * The worker on a real broker: requests in, thumbnails and completion events out; run on each kind of bucket by its
 * subclasses ({@link ResizeWorkerTest}: a directory, {@link ResizeWorkerOnS3Test}: S3).
 */
abstract class ResizeWorkerContract {

    /**
     * The bucket the worker under test uses, opened by the test itself: the same tests also run against the packaged
     * service ({@link ResizeWorkerIT}), where nothing can be injected from the application.
     */
    abstract Bucket bucket();

    @Test
    void turnsARequestIntoAThumbnailAndStartedThenSuccessEvents() throws Exception {
        String taskId = storeOriginal(TestImages.encoded(613, 624, "png"));

        request(taskId);

        List<ResizeCompleted> events = CompletionEvents.await(taskId, 2);
        assertEquals(TaskStatus.STARTED, events.get(0).status(), events.toString());
        ResizeCompleted success = events.get(1);
        assertEquals(TaskStatus.SUCCESS, success.status(), events.toString());
        assertEquals(List.of(98, 100), List.of(success.thumbnail().width(), success.thumbnail().height()));
        assertEquals(List.of(613, 624), List.of(success.original().width(), success.original().height()));
        BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(read(BlobKeys.thumbnail(taskId, "PNG"))));
        assertEquals(98, thumbnail.getWidth());
        assertEquals(100, thumbnail.getHeight());
    }

    @Test
    void reportsABadImageAsFailureAndKeepsConsuming() throws Exception {
        String broken = storeOriginal("definitely not an image".getBytes());
        String good = storeOriginal(TestImages.encoded(200, 100, "jpg"));

        request(broken);
        request(good);

        ResizeCompleted failure = CompletionEvents.await(broken, 2).get(1);
        assertEquals(TaskStatus.FAILURE, failure.status(), failure.toString());
        assertEquals(ErrorCodes.UNSUPPORTED_FORMAT, failure.error().code(), failure.toString());
        assertEquals(TaskStatus.SUCCESS, CompletionEvents.await(good, 2).get(1).status());
    }

    @Test
    void skipsAPoisonMessageWithoutBlockingItsPartition() throws Exception {
        String taskId = storeOriginal(TestImages.encoded(120, 80, "jpg"));

        // Same key, so the same partition: the good request must still get through.
        TestKafka.send(Topics.RESIZE_REQUESTS, taskId, "\u0000\u0001 not json at all");
        request(taskId);

        assertEquals(TaskStatus.SUCCESS, CompletionEvents.await(taskId, 2).get(1).status());
    }

    /** An original key that is not the task's own (a path out of the bucket, say) is no request of ours. */
    @Test
    void skipsARequestWhoseOriginalKeyIsNotTheTasksOwn() throws Exception {
        String taskId = storeOriginal(TestImages.encoded(120, 80, "jpg"));
        TestKafka.send(Topics.RESIZE_REQUESTS, taskId, requestJson(taskId, "../../etc/passwd", "FIT"));
        request(taskId);

        List<ResizeCompleted> events = CompletionEvents.await(taskId, 2);
        assertEquals(2, events.size(), events.toString());
        assertEquals(TaskStatus.SUCCESS, events.get(1).status(), events.toString());
    }

    /**
     * A request of the API's for one of its tasks that this worker cannot read (here a target mode it does not know,
     * as a newer API might send): the task fails, it does not stay PENDING, and the partition goes on.
     */
    @Test
    void failsATaskWhoseRequestItCannotRead() throws Exception {
        String taskId = storeOriginal(TestImages.encoded(120, 80, "jpg"));
        TestKafka.send(Topics.RESIZE_REQUESTS, taskId,
                requestJson(taskId, BlobKeys.original(taskId), "SOME_FUTURE_MODE"));
        request(taskId);

        List<ResizeCompleted> events = CompletionEvents.await(taskId, 3);
        assertEquals(TaskStatus.FAILURE, events.get(0).status(), events.toString());
        assertEquals(ErrorCodes.INTERNAL_ERROR, events.get(0).error().code(), events.toString());
        assertEquals(ErrorCodes.publicMessage(ErrorCodes.INTERNAL_ERROR), events.get(0).error().message());
        assertEquals(List.of(TaskStatus.STARTED, TaskStatus.SUCCESS),
                List.of(events.get(1).status(), events.get(2).status()), events.toString());
    }

    @Test
    void processesARedeliveredRequestIdempotently() throws Exception {
        String taskId = storeOriginal(TestImages.encoded(640, 480, "jpg"));
        String thumbnail = BlobKeys.thumbnail(taskId, "JPEG");

        request(taskId);
        CompletionEvents.await(taskId, 2);
        byte[] first = read(thumbnail);
        request(taskId);
        CompletionEvents.await(taskId, 4);

        assertArrayEquals(first, read(thumbnail));
        if (bucket() instanceof FileBucket files) {
            try (var names = Files.list(files.resolve(thumbnail).getParent())) {
                assertEquals(1, names.filter(f -> f.getFileName().toString().startsWith(taskId)).count(),
                        "no partial file left behind");
            }
        }
    }

    /**
     * A request that reached the log although the API refused its upload (the broker's acknowledgement was lost) may
     * be made before the API deletes the original; its tombstone, which follows it, deletes what it left.
     */
    @Test
    void deletesWhatAWithdrawnRequestLeft() throws Exception {
        String taskId = storeOriginal(TestImages.encoded(640, 480, "jpg"));
        String thumbnail = BlobKeys.thumbnail(taskId, "JPEG");
        request(taskId);
        assertEquals(TaskStatus.SUCCESS, CompletionEvents.await(taskId, 2).get(1).status());
        assertTrue(exists(thumbnail) && exists(BlobKeys.original(taskId)), "the request was made");

        TestKafka.send(Topics.RESIZE_REQUESTS, taskId, null);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertFalse(exists(thumbnail), "the withdrawn task's thumbnail is still there");
            assertFalse(exists(BlobKeys.original(taskId)), "the withdrawn task's original is still there");
        });
        // The consumer goes on after a tombstone.
        String next = storeOriginal(TestImages.encoded(120, 80, "jpg"));
        request(next);
        assertEquals(TaskStatus.SUCCESS, CompletionEvents.await(next, 2).get(1).status());
    }

    @Test
    void isLiveAndReady() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        given().get("/q/health/live").then().statusCode(200);
    }

    /** Makes the bucket refuse writes (and the readiness probe), as a full, read-only or unreachable store does. */
    abstract void breakStorage() throws Exception;

    abstract void repairStorage() throws Exception;

    @Test
    void retriesWhileTheBucketCannotBeWrittenAndSucceedsWhenItCan() throws Exception {
        String taskId = storeOriginal(TestImages.encoded(300, 200, "jpg"));
        breakStorage();
        try {
            request(taskId);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String health = given().get("/q/health/ready").then().statusCode(503).extract().asString();
                assertTrue(health.contains("\"storage\"") && health.contains("DOWN"), health);
            });
        } finally {
            repairStorage();
        }
        List<ResizeCompleted> events = CompletionEvents.await(taskId, 2);
        assertEquals(TaskStatus.SUCCESS, events.get(events.size() - 1).status(), events.toString());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200));
    }

    String storeOriginal(byte[] bytes) throws Exception {
        String taskId = UUID.randomUUID().toString();
        bucket().put(BlobKeys.original(taskId), bytes, "application/octet-stream");
        return taskId;
    }

    boolean exists(String key) throws Exception {
        return bucket().read(key, (channel, size) -> size).isPresent();
    }

    byte[] read(String key) throws Exception {
        return bucket().read(key, (channel, size) -> Channels.newInputStream(channel).readAllBytes())
                .orElseThrow(() -> new AssertionError("no object " + key));
    }

    static void request(String taskId) {
        TestKafka.send(Topics.RESIZE_REQUESTS, taskId, requestJson(taskId, BlobKeys.original(taskId), "FIT"));
    }

    /** A resize request as the API writes it, with the given original key and target mode. */
    static String requestJson(String taskId, String originalKey, String mode) {
        return """
                {"version":1,"taskId":"%s","originalKey":"%s","originalFilename":"x",
                 "contentType":"application/octet-stream","sizeBytes":1,
                 "target":{"width":100,"height":100,"mode":"%s"},"requestedAt":"2026-01-01T00:00:00Z"}
                """.formatted(taskId, originalKey, mode);
    }
}
