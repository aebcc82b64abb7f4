package dev.thumbnail.api.task;

import static dev.thumbnail.api.AuthProfile.BUSY_KEY;
import static dev.thumbnail.api.AuthProfile.KEY_A;
import static dev.thumbnail.api.AuthProfile.MAX_PENDING;
import static dev.thumbnail.api.AuthProfile.bearer;
import static dev.thumbnail.api.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.thumbnail.api.AuthProfile;
import dev.thumbnail.api.auth.ApiKeys;
import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.testfixtures.TestKafka;
import dev.thumbnail.api.ApiTests;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Each key may have {@link AuthProfile#MAX_PENDING} unfinished tasks; the count lives in Redis, goes up with PENDING
 * and down when the fold moves a task to SUCCESS or FAILURE. Only this class uploads with {@link AuthProfile#BUSY_KEY},
 * and it finishes every task it creates.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@WithTestResource(KafkaRedisTestResource.class)
class BackpressureTest {

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void waitUntilReady() {
        ApiTests.awaitReady();
    }

    @Test
    void refusesTheUploadOverTheCapWith429AndFreesASlotWhenATaskFinishes() throws Exception {
        List<String> created = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_PENDING; i++) {
                created.add(upload(BUSY_KEY).then().statusCode(202).extract().path("data.task_id"));
            }
            assertEquals(MAX_PENDING, pendingCount(BUSY_KEY));
            long originals = countOriginals();

            assertProblem(upload(BUSY_KEY).then(), 429, "TOO_MANY_PENDING")
                    .header("Retry-After", equalTo("5"));
            assertEquals(originals, countOriginals(), "the refused upload is not kept");
            assertEquals(MAX_PENDING, pendingCount(BUSY_KEY));
            // Another key is not held back by this one.
            created.add(upload(KEY_A).then().statusCode(202).extract().path("data.task_id"));

            // STARTED does not free the slot: once it is folded (the status shows it), the count is unchanged.
            complete(created.get(0), "STARTED");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given()
                    .header("Authorization", bearer(BUSY_KEY)).get("/status/" + created.get(0))
                    .then().statusCode(200).body("status", equalTo("STARTED")));
            assertEquals(MAX_PENDING, pendingCount(BUSY_KEY));
            complete(created.get(0), "FAILURE");
            await().atMost(Duration.ofSeconds(20)).until(() -> pendingCount(BUSY_KEY) == MAX_PENDING - 1);
            // A duplicate terminal event does not count the task out twice: once the fold has counted it as done
            // again, the count is unchanged.
            double again = ApiTests.metric("thumbnail_tasks_processed_again_total");
            complete(created.get(0), "SUCCESS");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ApiTests.metric("thumbnail_tasks_processed_again_total") >= again + 1);
            assertEquals(MAX_PENDING - 1, pendingCount(BUSY_KEY));

            created.add(upload(BUSY_KEY).then().statusCode(202).extract().path("data.task_id"));
        } finally {
            created.forEach(taskId -> complete(taskId, "FAILURE"));
            await().atMost(Duration.ofSeconds(20)).until(() -> pendingCount(BUSY_KEY) == 0);
        }
    }

    private long pendingCount(String key) {
        String count = redis.value(String.class).get("pending:" + ApiKeys.ownerIdOf(key));
        return count == null ? 0 : Long.parseLong(count);
    }

    private static Response upload(String key) {
        return given().header("Authorization", bearer(key))
                .multiPart("image_data", "busy.png", TestImages.encoded(12, 12, "png"), "image/png")
                .when().post("/create");
    }

    private static void complete(String taskId, String status) {
        String extra = status.equals("FAILURE")
                ? ",\"error\":{\"code\":\"CORRUPT_IMAGE\",\"message\":\"The image data is truncated.\"}" : "";
        TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, """
                {"version":1,"taskId":"%s","status":"%s","worker":"test-worker"%s}
                """.formatted(taskId, status, extra));
    }

    private static long countOriginals() throws IOException {
        Path originals = SharedInfrastructure.get().bucket().resolve(BlobKeys.ORIGINALS);
        if (!Files.isDirectory(originals)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(originals)) {
            return files.count();
        }
    }
}
