package dev.thumbnail.api.task;

import static dev.thumbnail.api.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.thumbnail.api.ApiTests;
import dev.thumbnail.api.SseStream;
import dev.thumbnail.api.auth.Caller;
import dev.thumbnail.api.error.ApiException;
import dev.thumbnail.contracts.TaskStatus;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.TestKafka;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * {@code GET /status/{id}/events} pushes a task's states as Server-Sent Events, fed by the fold through Redis pub/sub;
 * completions are played on the real broker as the worker would send them.
 */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class TaskEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI root;

    @Inject
    RedisDataSource redis;

    @Inject
    TaskEvents events;

    @BeforeEach
    void waitUntilReady() {
        ApiTests.awaitReady();
    }

    @Test
    void streamsPendingStartedSuccessInOrderAndEndsAfterTheTerminalOne() throws Exception {
        String taskId = ApiTests.upload("mine.png");
        try (SseStream stream = SseStream.open(root.resolve("/status/" + taskId + "/events"), null)) {
            assertEquals(200, stream.status());
            assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
            assertState(stream.next(), taskId, "PENDING");

            TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.started(taskId));
            assertState(stream.next(), taskId, "STARTED");

            TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.success(taskId));
            SseStream.Event success = stream.next();
            assertState(success, taskId, "SUCCESS");
            assertEquals(JSON.readTree(given().get("/status/" + taskId).then().extract().asString()),
                    JSON.readTree(success.data()), "the same JSON as GET /status");

            stream.assertEnds();
        }
    }

    /** thumbnail.events.keep-alive is 1 s in tests (15 s by default). */
    @Test
    void keepsAQuietStreamAliveWithCommentsAndStillEndsWithTheTask() throws Exception {
        String taskId = ApiTests.upload("mine.png");
        try (SseStream stream = SseStream.open(root.resolve("/status/" + taskId + "/events"), null)) {
            assertState(stream.next(), taskId, "PENDING");

            assertEquals("keep-alive", stream.nextComment());
            assertEquals("keep-alive", stream.nextComment());

            TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.success(taskId));
            assertState(stream.next(), taskId, "SUCCESS");
            stream.assertEnds();
        }
    }

    /**
     * A stream that ends, however it ends (at once, for a task already finished), leaves nothing behind among the
     * streams a stopping instance would end: before, one that ended at its first state stayed there for good.
     */
    @Test
    void aStreamThatEndedIsNoLongerHeld() {
        TaskRecord finished = new TaskRecord(UUID.randomUUID().toString(), TaskStatus.SUCCESS, Map.of());
        int before = events.openStreams();
        for (int i = 0; i < 100; i++) {
            assertEquals(1, events.follow(finished, Caller.ANONYMOUS).collect().asList().await()
                    .atMost(Duration.ofSeconds(5)).size());
        }
        assertTrue(events.openStreams() <= before, events.openStreams() + " streams held, " + before + " before");
    }

    /**
     * One key holds at most thumbnail.events.max-open-per-key (200) waits and streams open on an instance: past it a
     * wait gets 429 and a stream its current state and its end, while other keys go on; the places come back as they
     * end. Before, one key could open them without bound, and every change of its task made one Redis read per
     * stream on the instance's one connection (a security review's finding).
     */
    @Test
    void aKeyPastItsOpenWaitsGets429AndItsPlacesComeBack() {
        TaskRecord pending = new TaskRecord(UUID.randomUUID().toString(), TaskStatus.PENDING, Map.of());
        Caller key = new Caller("stream-quota-owner", false);
        List<Cancellable> waits = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                waits.add(events.awaitTerminal(pending, Duration.ofSeconds(60), key).subscribe().with(task -> {
                }, failure -> {
                }));
            }
            assertEquals(200, events.openPlaces(key.owner()));

            ApiException refused = assertThrows(ApiException.class, () -> events.awaitTerminal(pending,
                    Duration.ofSeconds(60), key).await().atMost(Duration.ofSeconds(5)));
            assertEquals(429, refused.status());
            assertEquals("TOO_MANY_WAITS", refused.code());
            List<TaskRecord> streamed = events.follow(pending, key).collect().asList().await()
                    .atMost(Duration.ofSeconds(5));
            assertEquals(List.of(TaskStatus.PENDING), streamed.stream().map(TaskRecord::status).toList(),
                    "a stream past the bound sends the state it has and ends");

            Caller other = new Caller("stream-quota-other", false);
            assertEquals(TaskStatus.PENDING, events.awaitTerminal(pending, Duration.ofMillis(200), other).await()
                    .atMost(Duration.ofSeconds(5)).status(), "another key still waits");
        } finally {
            waits.forEach(Cancellable::cancel);
        }
        assertEquals(0, events.openPlaces(key.owner()), "every wait gave its place back");
        assertEquals(TaskStatus.PENDING, events.awaitTerminal(pending, Duration.ofMillis(200), key).await()
                .atMost(Duration.ofSeconds(5)).status());
    }

    @Test
    void sendsALateSubscriberTheFinalStateAtOnceAndEnds() throws Exception {
        String taskId = ApiTests.upload("mine.png");
        TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.failure(taskId));
        await().atMost(SseStream.DEADLINE).untilAsserted(() ->
                given().get("/status/" + taskId).then().body("status", equalTo("FAILURE")));

        try (SseStream stream = SseStream.open(root.resolve("/status/" + taskId + "/events"), null)) {
            SseStream.Event failure = stream.next();
            assertState(failure, taskId, "FAILURE");
            assertEquals("CORRUPT_IMAGE", JSON.readTree(failure.data()).at("/result/error/code").asText());
            stream.assertEnds();
        }
    }

    @Test
    void answersAnUnknownTaskWithAProblemInsteadOfAStream() throws Exception {
        try (SseStream stream = SseStream.open(
                root.resolve("/status/00000000-0000-4000-8000-000000000000/events"), null)) {
            assertEquals(404, stream.status());
            assertEquals("TASK_NOT_FOUND", JSON.readTree(stream.body()).get("code").asText());
        }
        assertProblem(given().get("/status/not-a-task-id/events").then(), 404, "TASK_NOT_FOUND");
    }

    @Test
    void deliversAChangeThatAnotherInstanceFoldedAndAnnouncedOnRedis() throws Exception {
        String taskId = ApiTests.upload("mine.png");
        try (SseStream stream = SseStream.open(root.resolve("/status/" + taskId + "/events"), null)) {
            assertState(stream.next(), taskId, "PENDING");

            // What another API instance's fold leaves behind: the task moved on in the shared Redis, and a notice on
            // the channel. Nothing of it passes through this instance's code before the notice arrives.
            redis.hash(String.class).hset(TaskKeys.task(taskId),
                    Map.of(TaskRecord.STATUS, "STARTED", TaskRecord.WORKER, "worker-of-another-instance"));
            redis.pubsub(String.class).publish("task-events",
                    "{\"taskId\":\"" + taskId + "\",\"status\":\"STARTED\"}");

            assertState(stream.next(), taskId, "STARTED");
        } finally {
            TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.success(taskId));
        }
    }

    @Test
    void streamsEveryTasksChangesOnEventsWhenAuthenticationIsOff() throws Exception {
        try (SseStream stream = SseStream.open(root.resolve("/events"), null)) {
            assertEquals(200, stream.status());
            String taskId = ApiTests.upload("mine.png");
            SseStream.Event event = nextOf(stream, taskId);
            assertEquals("PENDING", event.name());
            JsonNode row = JSON.readTree(event.data());
            assertEquals("PENDING", row.get("status").asText());
            assertEquals("mine.png", row.get("filename").asText());
            TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.success(taskId));
            assertEquals("SUCCESS", nextOf(stream, taskId).name());
            assertEquals("keep-alive", stream.nextComment(), "the dashboard's stream is kept alive too");
        }
    }

    /**
     * A change whose notice comes twice (the fold's STARTED and SUCCESS of one batch are two notices, both read after
     * SUCCESS) is sent once: nothing more about the finished task while another task goes from PENDING to SUCCESS.
     */
    @Test
    void sendsATasksStateOnceOnEventsWhenItsNoticeRepeats() throws Exception {
        try (SseStream stream = SseStream.open(root.resolve("/events"), null)) {
            String taskId = ApiTests.upload("mine.png");
            assertEquals("PENDING", nextOf(stream, taskId).name());
            TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.success(taskId));
            assertEquals("SUCCESS", nextOf(stream, taskId).name());

            redis.pubsub(String.class).publish("task-events",
                    "{\"taskId\":\"" + taskId + "\",\"status\":\"STARTED\"}");
            String marker = ApiTests.upload("marker.png");
            assertEquals("PENDING", nextOf(stream, taskId, marker).name(), "the marker, not the finished task again");
            TestKafka.send(Topics.RESIZE_COMPLETIONS, marker, Completions.success(marker));
            assertEquals("SUCCESS", nextOf(stream, taskId, marker).name(), "the marker, not the finished task again");
        }
    }

    /** The next event about {@code marker}, skipping other tests' tasks; fails on one about {@code unwanted}. */
    static SseStream.Event nextOf(SseStream stream, String unwanted, String marker) throws Exception {
        while (true) {
            SseStream.Event event = stream.next();
            String about = JSON.readTree(event.data()).get("taskId").asText();
            assertTrue(!unwanted.equals(about), "sent again: " + event.name() + " " + event.data());
            if (marker.equals(about)) {
                return event;
            }
        }
    }

    /** The next event about {@code taskId}, skipping other tests' tasks. */
    static SseStream.Event nextOf(SseStream stream, String taskId) throws Exception {
        while (true) {
            SseStream.Event event = stream.next();
            if (taskId.equals(JSON.readTree(event.data()).get("taskId").asText())) {
                return event;
            }
        }
    }

    static void assertState(SseStream.Event event, String taskId, String status) throws Exception {
        assertEquals(status, event.name(), "event name");
        JsonNode data = JSON.readTree(event.data());
        assertEquals(taskId, data.get("task_id").asText());
        assertEquals(status, data.get("status").asText());
    }

}
