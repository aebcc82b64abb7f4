package dev.thumbnail.api.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.testfixtures.TestImages;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Takes the real Redis and the real broker away and brings them back: readiness must say so, uploads must get a 503
 * with Retry-After, and a refused upload must leave neither a blob nor a PENDING task behind.
 */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class DependencyOutageTest {

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void waitUntilReady() {
        awaitReadiness(200);
    }

    @Test
    void refusesUploadsWith503AndReportsNotReadyWhileRedisIsDown() throws Exception {
        long originals = countOriginals();
        SharedInfrastructure.get().redis().stop();
        try {
            upload().then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", notNullValue())
                    .body("code", equalTo("SERVICE_UNAVAILABLE"));

            assertEquals(originals, countOriginals(), "no orphaned upload");
            awaitReadiness(503);
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            SharedInfrastructure.get().redis().restart();
        }
        awaitReadiness(200);
    }

    @Test
    void refusesUploadsWith503AndLeavesNoPendingTaskWhileKafkaIsDown() throws Exception {
        long originals = countOriginals();
        long tasks = countTasks();
        long pending = pendingCount();
        SharedInfrastructure.get().kafka().stop();
        try {
            upload().then()
                    .statusCode(503)
                    .header("Retry-After", notNullValue())
                    .body("code", equalTo("SERVICE_UNAVAILABLE"))
                    .body("detail", equalTo("The task queue is unavailable; try again later."));

            assertEquals(originals, countOriginals(), "no orphaned upload");
            assertEquals(tasks, countTasks(), "no PENDING task that will never run");
            assertEquals(pending, pendingCount(), "its slot in the owner's pending count is given back");
            awaitReadiness(503);
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            SharedInfrastructure.get().kafka().restart();
        }
        awaitReadiness(200);
        upload().then().statusCode(202);
    }

    private static io.restassured.response.Response upload() {
        return given()
                .multiPart("image_data", "a.png", TestImages.encoded(40, 30, "png"), "image/png")
                .when().post("/create");
    }

    private static void awaitReadiness(int status) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(status));
    }

    /** Auth is off in this test, so every upload counts against the one anonymous owner. */
    private long pendingCount() {
        String count = redis.value(String.class).get("pending:anonymous");
        return count == null ? 0 : Long.parseLong(count);
    }

    private long countTasks() {
        return redis.key().keys("task:*").size();
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
