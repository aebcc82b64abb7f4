package dev.thumbnail.api.metrics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.LogCapture;
import dev.thumbnail.testfixtures.TestKafka;
import dev.thumbnail.api.ApiTests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The API's task metrics move, and its log lines about a task carry the task id. */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class ApiObservabilityTest {

    private LogCapture logs;

    @BeforeEach
    void setUp() {
        ApiTests.awaitReady();
        logs = LogCapture.start();
    }

    @AfterEach
    void tearDown() {
        logs.close();
    }

    @Test
    void countsCreatedAndCompletedTasksAndTheirLatency() {
        String taskId = ApiTests.upload("m.png");
        TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, """
                {"version":1,"taskId":"%s","status":"FAILURE","worker":"w",
                 "error":{"code":"CORRUPT_IMAGE","message":"m"},"startedAt":"2026-01-01T00:00:01Z",
                 "finishedAt":"2026-01-01T00:00:03Z","requestedAt":"2026-01-01T00:00:00Z"}
                """.formatted(taskId));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().get("/status/" + taskId).then().body("status", equalTo("FAILURE")));

        // The fold counts an outcome after Redis has applied it: the status can be read a moment before the count.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("thumbnail_tasks_created_total{format=\"PNG\"}"))
                .body(containsString("thumbnail_upload_bytes_count"))
                .body(containsString("thumbnail_tasks_completed_total{code=\"CORRUPT_IMAGE\",status=\"FAILURE\"}"))
                .body(containsString("thumbnail_task_latency_seconds_count{status=\"FAILURE\"}")));
    }

    @Test
    void tagsLogLinesAboutATaskWithItsId() {
        String taskId = ApiTests.upload("m.png");

        assertTrue(logs.records().stream().anyMatch(r -> taskId.equals(r.getMdc("taskId"))
                && r.getFormattedMessage().contains("accepted")), "the 'accepted' line carries the taskId MDC");
    }

}
