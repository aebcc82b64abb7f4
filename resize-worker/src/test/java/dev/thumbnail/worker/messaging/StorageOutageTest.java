package dev.thumbnail.worker.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.TaskStatus;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.Folders;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.testfixtures.TestKafka;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A bucket away for longer than the image deadline costs the task latency, not its outcome: the worker waits for the
 * store up to its storage patience (DESIGN.md: a storage fault is transient, work resumes when the part returns),
 * where it used to fail the task with STORAGE_ERROR once the image deadline had passed.
 */
@QuarkusTest
@TestProfile(StorageOutageTest.ShortDeadline.class)
@WithTestResource(value = KafkaRedisTestResource.class, initArgs = @ResourceArg(name = KafkaRedisTestResource.TOPICS,
        value = Topics.RESIZE_REQUESTS + "," + Topics.RESIZE_COMPLETIONS))
class StorageOutageTest {

    /** An image deadline of 2 s, so that an outage three times as long is well past it. */
    public static class ShortDeadline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("thumbnail.image.timeout", "2s", "thumbnail.worker.storage-patience", "60s");
        }
    }

    @Test
    void aBucketAwayLongerThanTheImageDeadlineDelaysTheTaskAndDoesNotFailIt() throws Exception {
        String taskId = UUID.randomUUID().toString();
        Path bucket = SharedInfrastructure.get().bucket();
        Path original = bucket.resolve(BlobKeys.original(taskId));
        Files.createDirectories(original.getParent());
        Files.write(original, TestImages.encoded(320, 200, "png"));
        Path thumbnails = bucket.resolve(BlobKeys.THUMBNAILS);
        Files.createDirectories(thumbnails);
        // The thumbnail cannot be written: a plain file where its folder was, as a read-only or unmounted volume.
        Folders.replaceWithFile(thumbnails);
        try {
            TestKafka.send(Topics.RESIZE_REQUESTS, taskId, """
                    {"version":1,"taskId":"%1$s","owner":"o","originalKey":"originals/%1$s","originalFilename":"x",
                     "contentType":"image/png","sizeBytes":1,"target":{"width":100,"height":100,"mode":"FIT"},
                     "requestedAt":"2026-01-01T00:00:00Z"}
                    """.formatted(taskId));
            // The worker has the request (STARTED comes at once in the test profile, after the original is read)...
            await().atMost(Duration.ofSeconds(20)).until(() -> CompletionEvents.of(taskId).stream()
                    .anyMatch(event -> event.status() == TaskStatus.STARTED));
            // ...and is still waiting for the bucket three image deadlines later.
            Thread.sleep(6_000);
            List<ResizeCompleted> meanwhile = CompletionEvents.of(taskId);
            assertTrue(meanwhile.stream().noneMatch(event -> event.status().isTerminal()),
                    "no outcome while the bucket is away: " + meanwhile);
        } finally {
            Files.deleteIfExists(thumbnails);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> CompletionEvents.of(taskId).stream()
                .anyMatch(event -> event.status().isTerminal()));
        List<ResizeCompleted> events = CompletionEvents.of(taskId);
        assertEquals(TaskStatus.SUCCESS, events.get(events.size() - 1).status(), events.toString());
        assertTrue(Files.exists(bucket.resolve(BlobKeys.thumbnail(taskId, "PNG"))));
    }
}
