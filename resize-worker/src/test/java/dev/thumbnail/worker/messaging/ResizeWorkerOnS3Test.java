package dev.thumbnail.worker.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.Topics;
import dev.thumbnail.devinfra.KafkaRedisTestResource;
import dev.thumbnail.devinfra.SharedInfrastructure;
import dev.thumbnail.devinfra.TestImages;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@link ResizeWorkerContract} on an S3 bucket (S3Proxy on loopback), and the store going away mid-task: the worker
 * reports storage DOWN and retries within the task's deadline instead of failing the task.
 */
@QuarkusTest
@WithTestResource(value = KafkaRedisTestResource.class, initArgs = {
        @ResourceArg(name = KafkaRedisTestResource.TOPICS, value = Topics.RESIZE_REQUESTS + ","
                + Topics.RESIZE_COMPLETIONS),
        @ResourceArg(name = KafkaRedisTestResource.STORAGE, value = "s3") })
class ResizeWorkerOnS3Test extends ResizeWorkerContract {

    @Test
    void retriesWhileTheStoreIsAwayAndSucceedsWhenItIsBack() throws Exception {
        String taskId = storeOriginal(TestImages.encoded(300, 200, "jpg"));
        SharedInfrastructure.get().s3().stop();
        try {
            request(taskId);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                String health = given().get("/q/health/ready").then().statusCode(503).extract().asString();
                assertTrue(health.contains("\"storage\"") && health.contains("DOWN"), health);
            });
        } finally {
            SharedInfrastructure.get().s3().restart();
        }
        List<String> events = awaitEvents(taskId, 2);
        assertTrue(events.get(events.size() - 1).contains("\"status\":\"SUCCESS\""), events.toString());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200));
    }
}
