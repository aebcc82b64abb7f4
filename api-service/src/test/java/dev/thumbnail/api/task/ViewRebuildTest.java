package dev.thumbnail.api.task;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.testfixtures.TestKafka;
import dev.thumbnail.api.ApiTests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Redis restarted empty (a new run_id, nothing on disk): the view is rebuilt from the topics, every task back with its
 * owner and state within 30 s (issue 13), and another key's task stays invisible.
 */
@QuarkusTest
@TestProfile(ViewRebuildTest.Keys.class)
@WithTestResource(KafkaRedisTestResource.class)
class ViewRebuildTest {

    static final String A = "rebuild-key-a";
    static final String B = "rebuild-key-b";

    public static class Keys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("thumbnail.auth.api-keys", A + "," + B);
        }
    }

    @Test
    void rebuildsEveryTaskWithItsOwnerAndStateAfterRedisRestartsEmpty() {
        ApiTests.awaitReady();
        String done = ApiTests.upload(A, "done.png");
        String waiting = ApiTests.upload(A, "waiting.png");
        String failed = ApiTests.upload(B, "failed.png");
        TestKafka.send(Topics.RESIZE_COMPLETIONS, done, Completions.success(done));
        TestKafka.send(Topics.RESIZE_COMPLETIONS, failed, Completions.failure(failed));
        awaitStatus(A, done, "SUCCESS");
        awaitStatus(B, failed, "FAILURE");

        SharedInfrastructure.get().redis().stop();
        SharedInfrastructure.get().redis().restart();

        awaitStatus(A, done, "SUCCESS");
        awaitStatus(A, waiting, "PENDING");
        awaitStatus(B, failed, "FAILURE");
        given().header("Authorization", "Bearer " + A).get("/status/" + done).then()
                .body("result.Thumbnail.Size", org.hamcrest.Matchers.contains(20, 20));
        given().header("Authorization", "Bearer " + B).get("/status/" + done).then().statusCode(404);
        given().header("Authorization", "Bearer " + A).get("/status/" + failed).then().statusCode(404);
    }

    /**
     * An outcome sent while Redis is away is folded by the rebuild once Redis is back empty; the live fold, which
     * took it from the topic, counts it as completed, once: not as a task processed again, nor as an unknown task
     * (folded into the empty Redis before the rebuild).
     */
    @Test
    void countsAnOutcomeThatArrivedWhileRedisWasAwayOnceAsCompleted() throws Exception {
        ApiTests.awaitReady();
        String taskId = ApiTests.upload(A, "while-away.png");
        double completed = ApiTests.metric("thumbnail_tasks_completed_total");
        double again = ApiTests.metric("thumbnail_tasks_processed_again_total");
        double unknown = ApiTests.metric("thumbnail_events_unknown_task_total");

        SharedInfrastructure.get().redis().stop();
        try {
            TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.success(taskId));
            Thread.sleep(1_500); // the live fold has taken it and is retrying
        } finally {
            SharedInfrastructure.get().redis().restart();
        }

        awaitStatus(A, taskId, "SUCCESS");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(completed + 1,
                ApiTests.metric("thumbnail_tasks_completed_total"), "counted as completed"));
        assertEquals(again, ApiTests.metric("thumbnail_tasks_processed_again_total"), "counted as processed again");
        assertEquals(unknown, ApiTests.metric("thumbnail_events_unknown_task_total"), "counted as an unknown task");
    }

    private static void awaitStatus(String key, String taskId, String status) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                given().header("Authorization", "Bearer " + key).get("/status/" + taskId).then().statusCode(200)
                        .body("status", equalTo(status)));
    }
}
