package dev.thumbnail.api.task;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.testfixtures.TestKafka;
import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.api.ApiTests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Plays the worker's side of resize-completions on the real broker and checks what the API folds into Redis. */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class CompletionFoldTest {

    @BeforeEach
    void waitUntilReady() {
        ApiTests.awaitReady();
    }

    @Test
    void foldsStartedThenSuccessIntoTheOldStatusShape() throws Exception {
        String taskId = ApiTests.upload("hyperbolic.png");
        byte[] thumbnail = TestImages.encoded(98, 100, "png");
        writeBlob(BlobKeys.thumbnail(taskId, "PNG"), thumbnail);

        complete(taskId, Completions.started(taskId));
        awaitStatus(taskId, "STARTED");
        complete(taskId, success(taskId, thumbnail.length));
        awaitStatus(taskId, "SUCCESS");

        given().get("/status/" + taskId).then()
                .body("result.Original.file_path", equalTo("originals/" + taskId))
                .body("result.Original.Size", contains(613, 624))
                .body("result.Original.format", equalTo("PNG"))
                .body("result.Thumbnail.file_path", equalTo("thumbnails/" + taskId + ".png"))
                .body("result.Thumbnail.Size", contains(98, 100))
                .body("result.Thumbnail.format", equalTo("PNG"))
                .body("result.Thumbnail.url", equalTo("/thumbnail/" + taskId));
    }

    @Test
    void foldsLateStartedAfterSuccessAsNoOp() {
        String taskId = ApiTests.upload("hyperbolic.png");
        complete(taskId, success(taskId, 123));
        awaitStatus(taskId, "SUCCESS");
        double before = processedAgain();

        complete(taskId, Completions.started(taskId));
        // Behind the late STARTED, on its partition (the same key), a duplicate SUCCESS, which the fold counts: once
        // it is counted, the STARTED before it has been folded too (in order per partition), applied or not.
        complete(taskId, success(taskId, 123));
        // At least: the counter is the process's, and another test's late duplicate may land meanwhile.
        await().atMost(Duration.ofSeconds(20)).until(() -> processedAgain() >= before + 1);
        given().get("/status/" + taskId).then().body("status", equalTo("SUCCESS"));
    }

    @Test
    void ignoresADuplicateAndALateFailureAfterSuccess() {
        double before = processedAgain();
        String taskId = ApiTests.upload("hyperbolic.png");
        complete(taskId, success(taskId, 123));
        complete(taskId, success(taskId, 123));
        complete(taskId, Completions.failure(taskId));
        awaitStatus(taskId, "SUCCESS");

        // Once both later events are counted they have been folded: the view must still hold the first outcome.
        // At least: the counter is the process's, and another test's late duplicate may land meanwhile.
        await().atMost(Duration.ofSeconds(20)).until(() -> processedAgain() >= before + 2);
        given().get("/status/" + taskId).then()
                .body("status", equalTo("SUCCESS"))
                .body("result.Thumbnail.Size", contains(98, 100));
    }

    private static double processedAgain() {
        return ApiTests.metric("thumbnail_tasks_processed_again_total");
    }

    @Test
    void reportsAFailureWithItsCodeAndMessage() {
        String taskId = ApiTests.upload("hyperbolic.png");
        complete(taskId, Completions.failure(taskId));

        awaitStatus(taskId, "FAILURE");
        given().get("/status/" + taskId).then()
                .body("result.error.code", equalTo("CORRUPT_IMAGE"))
                .body("result.error.message", equalTo("The image data is truncated."));
        given().get("/thumbnail/" + taskId).then().statusCode(404).body("code", equalTo("NO_THUMBNAIL"));
    }

    @Test
    void answersNoThumbnailForASuccessWhoseThumbnailIsNoLongerKept() {
        String taskId = ApiTests.upload("hyperbolic.png");
        // The outcome is folded, but its thumbnail is not in the bucket (swept, or lost with a volume).
        complete(taskId, success(taskId, 123));
        awaitStatus(taskId, "SUCCESS");
        given().get("/thumbnail/" + taskId).then().statusCode(404)
                .body("code", equalTo("NO_THUMBNAIL"))
                .body("detail", equalTo("This task's thumbnail is no longer kept."));
    }

    @Test
    void skipsAnUndecodableEventWithoutBlockingThePartition() {
        String taskId = ApiTests.upload("hyperbolic.png");
        complete(taskId, "{this is not json");
        complete(taskId, Completions.started(taskId));

        awaitStatus(taskId, "STARTED");
    }

    @Test
    void servesTheThumbnailWithContentTypeEtagAndCaching() throws Exception {
        String taskId = ApiTests.upload("hyperbolic.png");
        byte[] thumbnail = TestImages.encoded(98, 100, "png");
        writeBlob(BlobKeys.thumbnail(taskId, "PNG"), thumbnail);
        complete(taskId, success(taskId, thumbnail.length));
        awaitStatus(taskId, "SUCCESS");

        byte[] served = given().get("/thumbnail/" + taskId).then()
                .statusCode(200)
                .contentType("image/png")
                .header("ETag", equalTo("\"" + taskId + "\""))
                .header("Cache-Control", containsString("max-age=31536000"))
                .extract().asByteArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(thumbnail, served);

        given().header("If-None-Match", "\"" + taskId + "\"").get("/thumbnail/" + taskId).then()
                .statusCode(304)
                .header("ETag", equalTo("\"" + taskId + "\""));
        // RFC 9110 13.1.2: If-None-Match compares weakly, so a tag a proxy weakened still matches; so do "*" and a
        // list that names it; another tag does not.
        for (String field : new String[] { "W/\"" + taskId + "\"", "*", "\"other\", W/\"" + taskId + "\"" }) {
            given().header("If-None-Match", field).get("/thumbnail/" + taskId).then().statusCode(304);
        }
        given().header("If-None-Match", "W/\"other\"").get("/thumbnail/" + taskId).then().statusCode(200);
    }


    private static void complete(String taskId, String json) {
        TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, json);
    }

    private static void awaitStatus(String taskId, String status) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().get("/status/" + taskId).then().statusCode(200).body("status", equalTo(status)));
    }

    private static void writeBlob(String key, byte[] bytes) throws Exception {
        Path path = SharedInfrastructure.get().bucket().resolve(key);
        Files.createDirectories(path.getParent());
        Files.write(path, bytes);
    }

    private static String success(String taskId, long bytes) {
        return """
                {"version":1,"taskId":"%1$s","status":"SUCCESS","worker":"test-worker",
                 "original":{"key":"originals/%1$s","width":613,"height":624,"format":"PNG"},
                 "thumbnail":{"key":"thumbnails/%1$s.png","width":98,"height":100,"format":"PNG","sizeBytes":%2$d},
                 "startedAt":"2026-01-01T00:00:00Z","finishedAt":"2026-01-01T00:00:01Z"}
                """.formatted(taskId, bytes);
    }
}
