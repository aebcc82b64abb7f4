package dev.thumbnail.api.storage;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.testfixtures.TestKafka;
import dev.thumbnail.storage.Bucket;
import dev.thumbnail.api.ApiTests;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The API on an S3 bucket (a real S3-API server, S3Proxy, on loopback): the upload stored as an object and nothing
 * in the directory bucket, the thumbnail downloaded with its ETag and 304, and the store going away: uploads answer
 * 503 + Retry-After with the problem document, readiness says storage DOWN, and both recover when it is back.
 */
@QuarkusTest
@WithTestResource(value = KafkaRedisTestResource.class, initArgs = @ResourceArg(name = KafkaRedisTestResource.STORAGE,
        value = "s3"))
class S3BucketTest {

    @Inject
    Bucket bucket;

    @BeforeEach
    void waitUntilReady() {
        SharedInfrastructure.get().s3().restart();
        ApiTests.awaitReady();
    }

    @Test
    void storesTheUploadAsAnObjectAndServesTheThumbnailFromTheBucket() throws Exception {
        byte[] png = TestImages.encoded(40, 30, "png");
        String taskId = given().multiPart("image_data", "a.png", png, "image/png")
                .when().post("/create").then().statusCode(202).extract().path("data.task_id");

        String originalKey = BlobKeys.original(taskId);
        assertArrayEquals(png, read(originalKey).orElseThrow(), "the original, as uploaded");
        assertFalse(Files.exists(SharedInfrastructure.get().bucket().resolve(originalKey)),
                "nothing written to the directory bucket");

        byte[] thumbnail = TestImages.encoded(98, 100, "png");
        bucket.put(BlobKeys.thumbnail(taskId, "PNG"), thumbnail, "image/png");
        TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, """
                {"version":1,"taskId":"%1$s","status":"SUCCESS","worker":"test-worker",
                 "original":{"key":"originals/%1$s","width":40,"height":30,"format":"PNG"},
                 "thumbnail":{"key":"thumbnails/%1$s.png","width":98,"height":100,"format":"PNG","sizeBytes":%2$d},
                 "startedAt":"2026-01-01T00:00:00Z","finishedAt":"2026-01-01T00:00:01Z"}
                """.formatted(taskId, thumbnail.length));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/status/" + taskId).then()
                .body("status", equalTo("SUCCESS")));

        byte[] served = given().get("/thumbnail/" + taskId).then().statusCode(200)
                .contentType("image/png")
                .header("ETag", equalTo("\"" + taskId + "\""))
                .header("Content-Length", equalTo(String.valueOf(thumbnail.length)))
                .header("Cache-Control", containsString("max-age=31536000"))
                .extract().asByteArray();
        assertArrayEquals(thumbnail, served);
        given().head("/thumbnail/" + taskId).then().statusCode(200)
                .header("Content-Length", equalTo(String.valueOf(thumbnail.length)));
        given().header("If-None-Match", "\"" + taskId + "\"").get("/thumbnail/" + taskId).then().statusCode(304);

        bucket.delete(BlobKeys.thumbnail(taskId, "PNG"));
        given().get("/thumbnail/" + taskId).then().statusCode(404).body("code", equalTo("NO_THUMBNAIL"));
    }

    @Test
    void answers503WhileTheStoreIsAwayAndRecovers() {
        SharedInfrastructure.get().s3().stop();
        try {
            StorageFaults.assertUploadsRefusedAndNotReady();
        } finally {
            SharedInfrastructure.get().s3().restart();
        }
        StorageFaults.assertRecovered();
    }

    private Optional<byte[]> read(String key) throws IOException {
        return bucket.read(key, (channel, size) -> {
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // reading
            }
            assertEquals(size, buffer.position());
            return buffer.array();
        });
    }
}
