package dev.thumbnail.api.task;

import static dev.thumbnail.api.AuthProfile.ADMIN_KEY;
import static dev.thumbnail.api.AuthProfile.KEY_A;
import static dev.thumbnail.api.AuthProfile.KEY_B;
import static dev.thumbnail.api.AuthProfile.bearer;
import static dev.thumbnail.api.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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

/** A task belongs to the key that created it: other keys cannot tell it from an unknown one; admins see it. */
@QuarkusTest
@TestProfile(AuthProfile.class)
@WithTestResource(KafkaRedisTestResource.class)
class TaskIsolationTest {

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void waitUntilReady() {
        ApiTests.awaitReady();
    }

    @Test
    void answersAnotherKeysTaskAndThumbnailWith404LikeAnUnknownTask() throws Exception {
        String taskId = finishedTaskOf(KEY_A);

        assertProblem(given().header("Authorization", bearer(KEY_B)).get("/status/" + taskId).then(), 404,
                "TASK_NOT_FOUND");
        assertProblem(given().header("Authorization", bearer(KEY_B)).get("/thumbnail/" + taskId).then(), 404,
                "TASK_NOT_FOUND");
        given().header("Authorization", bearer(KEY_A)).get("/thumbnail/" + taskId).then()
                .statusCode(200).contentType("image/png");
    }

    @Test
    void letsAnAdminKeyReadEveryKeysTask() throws Exception {
        String taskId = finishedTaskOf(KEY_A);

        given().header("Authorization", bearer(ADMIN_KEY)).get("/status/" + taskId).then()
                .statusCode(200).body("status", equalTo("SUCCESS"));
        given().header("Authorization", bearer(ADMIN_KEY)).get("/thumbnail/" + taskId).then()
                .statusCode(200).contentType("image/png");
    }

    @Test
    void keepsAnAdminKeysOwnTasksFromOtherKeys() throws Exception {
        String taskId = finishedTaskOf(ADMIN_KEY);

        given().header("Authorization", bearer(ADMIN_KEY)).get("/status/" + taskId).then().statusCode(200);
        assertProblem(given().header("Authorization", bearer(KEY_B)).get("/status/" + taskId).then(), 404,
                "TASK_NOT_FOUND");
    }

    @Test
    void storesAnOwnerIdDerivedFromTheKeyNeverTheKeyItself() throws Exception {
        String taskId = finishedTaskOf(KEY_B);

        Map<String, String> hash = redis.hash(String.class).hgetall(TaskKeys.task(taskId));
        assertEquals(ApiKeys.ownerIdOf(KEY_B), hash.get(TaskRecord.OWNER));
        assertEquals(16, hash.get(TaskRecord.OWNER).length());
        assertFalse(hash.values().stream().anyMatch(value -> value.contains(KEY_B)), hash.toString());
    }

    /** Uploads as {@code key} and plays the worker's SUCCESS, so that the task holds no pending slot afterwards. */
    private static String finishedTaskOf(String key) throws Exception {
        String taskId = given().header("Authorization", bearer(key))
                .multiPart("image_data", "mine.png", TestImages.encoded(20, 20, "png"), "image/png")
                .when().post("/create")
                .then().statusCode(202)
                .extract().path("data.task_id");
        byte[] thumbnail = TestImages.encoded(20, 20, "png");
        Path path = SharedInfrastructure.get().bucket().resolve(BlobKeys.thumbnail(taskId, "PNG"));
        Files.createDirectories(path.getParent());
        Files.write(path, thumbnail);
        TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, """
                {"version":1,"taskId":"%1$s","status":"SUCCESS","worker":"test-worker",
                 "original":{"key":"originals/%1$s","width":20,"height":20,"format":"PNG"},
                 "thumbnail":{"key":"thumbnails/%1$s.png","width":20,"height":20,"format":"PNG","sizeBytes":%2$d}}
                """.formatted(taskId, thumbnail.length));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().header("Authorization", bearer(key))
                .get("/status/" + taskId).then().statusCode(200).body("status", equalTo("SUCCESS")));
        return taskId;
    }
}
