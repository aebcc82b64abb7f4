package dev.thumbnail.api.dashboard;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.thumbnail.api.task.Completions;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.testfixtures.TestKafka;
import dev.thumbnail.api.ApiTests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The dashboard's data, from the history the fold keeps in Redis; authentication is off here, so anyone may read. */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class DashboardApiTest {

    @BeforeEach
    void waitUntilReady() {
        ApiTests.awaitReady();
    }

    @Test
    void summarisesRecentTasksWorkersAndPerMinuteThroughput() {
        String taskId = finishedTask();

        JsonPath summary = given().get("/dashboard/api/summary").then().statusCode(200).extract().jsonPath();

        Map<String, Object> row = summary.getMap("tasks.find { it.taskId == '" + taskId + "' }");
        assertEquals("SUCCESS", row.get("status"));
        assertEquals("photo.png", row.get("filename"));
        assertEquals(Completions.WORKER, row.get("worker"));
        assertEquals(1250, row.get("processingMs"));
        assertEquals(List.of(20, 20), row.get("thumbnailSize"));
        assertEquals("/thumbnail/" + taskId, row.get("thumbnailUrl"));
        assertTrue(summary.getInt("counts.SUCCESS") >= 1, summary.prettify());
        assertTrue(summary.getInt("workers.find { it.id == '" + Completions.WORKER + "' }.tasksDone") >= 1);
        assertEquals(15, summary.getList("minutes").size());
        assertEquals(20L * 1024 * 1024, summary.getLong("maxUploadBytes"), "the default upload limit, 20M");
        assertTrue(summary.getList("minutes.succeeded", Integer.class).stream().mapToInt(Integer::intValue).sum() >= 1);
        assertTrue(summary.getList("minutes.created", Integer.class).stream().mapToInt(Integer::intValue).sum() >= 1);
    }

    @Test
    void showsATasksTimelineOfAppliedChangesWithTheWorker() {
        String taskId = finishedTask();

        JsonPath detail = given().get("/dashboard/api/tasks/" + taskId).then().statusCode(200).extract().jsonPath();

        assertEquals(taskId, detail.getString("task.taskId"));
        assertEquals(List.of("PENDING", "STARTED", "SUCCESS"), detail.getList("timeline.status"));
        assertEquals(Completions.WORKER, detail.getString("timeline[2].worker"));
        given().get("/dashboard/api/tasks/00000000-0000-4000-8000-000000000000").then().statusCode(404)
                .body("code", equalTo("TASK_NOT_FOUND"));
    }

    @Test
    void servesThePageWithoutAKey() {
        given().redirects().follow(false).get("/dashboard").then().statusCode(302)
                .header("Location", equalTo("/dashboard/"));
        given().get("/dashboard/").then().statusCode(200).contentType("text/html");
    }

    private static String finishedTask() {
        String taskId = given()
                .multiPart("image_data", "photo.png", TestImages.encoded(20, 20, "png"), "image/png")
                .when().post("/create")
                .then().statusCode(202)
                .extract().path("data.task_id");
        TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.started(taskId));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().get("/status/" + taskId).then().body("status", equalTo("STARTED")));
        TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.success(taskId));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().get("/status/" + taskId).then().body("status", equalTo("SUCCESS")));
        return taskId;
    }
}
