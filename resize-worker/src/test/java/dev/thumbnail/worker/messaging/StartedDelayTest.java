package dev.thumbnail.worker.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * With the worker's default of waiting before it announces STARTED, a task that ends first sends one event, its
 * outcome, which says when it started: a third fewer events per image for the broker and the API.
 */
@QuarkusTest
@TestProfile(StartedDelayTest.Delayed.class)
@WithTestResource(value = KafkaRedisTestResource.class, initArgs = @ResourceArg(name = KafkaRedisTestResource.TOPICS,
        value = Topics.RESIZE_REQUESTS + "," + Topics.RESIZE_COMPLETIONS))
class StartedDelayTest {

    /**
     * A delay far longer than a small image takes, even the first one of a cold JVM on a slow, busy 2-core machine
     * (class loading and the interpreter: 2 s was within reach there).
     */
    public static class Delayed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("thumbnail.worker.started-delay", "5s");
        }
    }

    @Test
    void sendsOnlyTheOutcomeOfATaskThatEndsBeforeTheDelay() throws Exception {
        String taskId = UUID.randomUUID().toString();
        Path original = SharedInfrastructure.get().bucket().resolve(BlobKeys.original(taskId));
        Files.createDirectories(original.getParent());
        Files.write(original, TestImages.encoded(64, 48, "png"));

        TestKafka.send(Topics.RESIZE_REQUESTS, taskId, """
                {"version":1,"taskId":"%1$s","owner":"o","originalKey":"originals/%1$s","originalFilename":"x",
                 "contentType":"image/png","sizeBytes":1,"target":{"width":100,"height":100,"mode":"FIT"},
                 "requestedAt":"2026-01-01T00:00:00Z"}
                """.formatted(taskId));

        await().atMost(Duration.ofSeconds(30)).until(() -> CompletionEvents.of(taskId).size() >= 1);
        // Past the delay: a STARTED the announcer failed to cancel would have been sent by now.
        Thread.sleep(6000);
        List<ResizeCompleted> events = CompletionEvents.of(taskId);
        assertEquals(1, events.size(), events.toString());
        assertEquals(TaskStatus.SUCCESS, events.get(0).status());
        assertEquals(true, events.get(0).startedAt() != null);
    }

}
