package dev.thumbnail.api.task;

import static dev.thumbnail.api.AuthProfile.ADMIN_KEY;
import static dev.thumbnail.api.AuthProfile.KEY_A;
import static dev.thumbnail.api.AuthProfile.KEY_B;
import static dev.thumbnail.api.AuthProfile.bearer;
import static dev.thumbnail.api.ProblemAssertions.assertProblem;
import static dev.thumbnail.api.task.TaskEventsTest.assertState;
import static dev.thumbnail.api.task.TaskEventsTest.nextOf;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.thumbnail.api.AuthProfile;
import dev.thumbnail.api.SseStream;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.TestKafka;
import dev.thumbnail.api.ApiTests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * With authentication on, a task's stream is its owner's (others get the same 404 as on /status), and the stream of
 * every task and the dashboard's data are for admin keys (others get 403). Every task made here is finished before
 * the test ends, so that no key is left holding one of its few pending slots.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@WithTestResource(KafkaRedisTestResource.class)
class TaskEventsAccessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/")
    URI root;

    @BeforeEach
    void waitUntilReady() {
        ApiTests.awaitReady();
    }

    @Test
    void streamsATaskToItsOwnerAndAnswersOtherKeysWith404() throws Exception {
        String taskId = ApiTests.upload(KEY_A, "mine.png");
        try {
            try (SseStream other = SseStream.open(events(taskId), bearer(KEY_B))) {
                assertEquals(404, other.status());
                assertEquals("TASK_NOT_FOUND", JSON.readTree(other.body()).get("code").asText());
            }
            try (SseStream anonymous = SseStream.open(events(taskId), null)) {
                assertEquals(401, anonymous.status());
            }
            try (SseStream own = SseStream.open(events(taskId), bearer(KEY_A))) {
                assertState(own.next(), taskId, "PENDING");
                finish(taskId, KEY_A);
                assertState(own.next(), taskId, "SUCCESS");
                own.assertEnds();
            }
        } finally {
            finish(taskId, KEY_A);
        }
    }

    @Test
    void refusesEveryTasksEventsAndTheDashboardDataToANormalKeyWith403() {
        assertProblem(given().header("Authorization", bearer(KEY_A)).get("/events").then(), 403, "FORBIDDEN");
        assertProblem(given().header("Authorization", bearer(KEY_A)).get("/dashboard/api/summary").then(), 403,
                "FORBIDDEN");
        assertProblem(given().header("Authorization", bearer(KEY_B))
                .get("/dashboard/api/tasks/00000000-0000-4000-8000-000000000000").then(), 403, "FORBIDDEN");
        assertProblem(given().get("/events").then(), 401, "UNAUTHORIZED");
        assertProblem(given().get("/dashboard/api/summary").then(), 401, "UNAUTHORIZED");
    }

    @Test
    void streamsEveryKeysTasksToAnAdminKey() throws Exception {
        try (SseStream stream = SseStream.open(root.resolve("/events"), bearer(ADMIN_KEY))) {
            assertEquals(200, stream.status());
            String taskId = ApiTests.upload(KEY_B, "mine.png");
            try {
                assertEquals("PENDING", nextOf(stream, taskId).name());
            } finally {
                finish(taskId, KEY_B);
            }
            assertEquals("SUCCESS", nextOf(stream, taskId).name());
        }
        given().header("Authorization", bearer(ADMIN_KEY)).get("/dashboard/api/summary").then().statusCode(200);
    }

    private URI events(String taskId) {
        return root.resolve("/status/" + taskId + "/events");
    }


    /** Plays the worker's SUCCESS and waits for it, so the key's pending slot is free again. */
    private static void finish(String taskId, String key) {
        TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.success(taskId));
        await().atMost(SseStream.DEADLINE).untilAsserted(() -> given().header("Authorization", bearer(key))
                .get("/status/" + taskId).then().statusCode(200).body("status", equalTo("SUCCESS")));
    }
}
