package dev.thumbnail.api.task;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class TaskApiTest {

    static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    @BeforeEach
    void waitUntilReady() {
        ApiTests.awaitReady();
    }

    @Test
    void acceptsAnUploadWith202LocationAndTheOldBody() {
        String taskId = given()
                .multiPart("image_data", "cat.png", TestImages.encoded(64, 48, "png"), "image/png")
                .when().post("/create")
                .then()
                .statusCode(202)
                .contentType(ContentType.JSON)
                .body("status", equalTo("success"))
                .body("data.task_id", matchesPattern(UUID_PATTERN))
                .header("Location", matchesPattern(".*/status/" + UUID_PATTERN))
                .extract().path("data.task_id");

        given().get("/status/" + taskId).then()
                .statusCode(200)
                .body("task_id", equalTo(taskId))
                .body("status", equalTo("PENDING"))
                .body("result", nullValue());
    }

    @Test
    void storesTheUploadUnderAKeyFromTheTaskIdNotTheFilename() throws Exception {
        byte[] png = TestImages.encoded(30, 20, "png");
        String taskId = given()
                .multiPart("image_data", "../../etc/passwd", png, "image/png")
                .when().post("/create")
                .then().statusCode(202)
                .extract().path("data.task_id");

        Path stored = SharedInfrastructure.get().bucket().resolve(BlobKeys.original(taskId));
        assertTrue(Files.exists(stored), "original stored at " + stored);
        assertEquals(png.length, Files.size(stored));
    }

    @Test
    void publishesAResizeRequestKeyedByTaskId() {
        String taskId = given()
                .multiPart("image_data", "photo.jpg", TestImages.encoded(200, 100, "jpg"), "image/jpeg")
                .when().post("/create")
                .then().statusCode(202)
                .extract().path("data.task_id");

        var request = TestKafka.readAll(Topics.RESIZE_REQUESTS, Duration.ofSeconds(2)).stream()
                .filter(record -> taskId.equals(record.key()))
                .findFirst().orElseThrow();
        assertTrue(request.value().contains("\"originalKey\":\"originals/" + taskId + "\""), request.value());
        assertTrue(request.value().contains("\"contentType\":\"image/jpeg\""), request.value());
        assertTrue(request.value().contains("\"originalFilename\":\"photo.jpg\""), request.value());
        assertTrue(request.value().contains("\"width\":100"), request.value());
    }

    @Test
    void answers404WithJsonForAnUnknownTask() {
        given().get("/status/" + java.util.UUID.randomUUID()).then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("code", equalTo("TASK_NOT_FOUND"))
                .body("status", equalTo(404));
    }

    @Test
    void answers404ForAMalformedTaskIdWithoutTouchingStorage() {
        given().get("/status/..%2F..%2Fetc%2Fpasswd").then()
                .statusCode(404)
                .contentType("application/problem+json");
        given().get("/thumbnail/not-a-uuid").then()
                .statusCode(404)
                .body("code", equalTo("TASK_NOT_FOUND"));
    }

    @Test
    void rejectsATextFileNamedJpgWith415() {
        given()
                .multiPart("image_data", "cat.jpg", "just some text, not a JPEG".getBytes(StandardCharsets.UTF_8),
                        "image/jpeg")
                .when().post("/create")
                .then()
                .statusCode(415)
                .contentType("application/problem+json")
                .body("code", equalTo("UNSUPPORTED_FORMAT"))
                .body("detail", not(matchesPattern("(?s).*(Exception|\\bat [a-z]+\\.).*")));
    }

    @Test
    void rejectsAnImageWhoseHeaderExceedsThePixelLimitWith413BeforeStoringIt() throws Exception {
        byte[] png = dev.thumbnail.testfixtures.TestImages.encoded(10, 10, "png");
        java.nio.ByteBuffer.wrap(png).putInt(16, 60_000).putInt(20, 60_000);
        long before = countOriginals();

        given()
                .multiPart("image_data", "bomb.png", png, "image/png")
                .when().post("/create")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("code", equalTo("IMAGE_TOO_LARGE"))
                .body("detail", org.hamcrest.Matchers.containsString("60000x60000"));
        assertEquals(before, countOriginals(), "nothing stored");
    }

    @Test
    void rejectsALosslessWebpOverTheLimitOfImagesDecodedWholeWith413() throws Exception {
        // Under the general limit (49 of 50 MP), but decoded at full size: 196 MB for a 15 KB upload.
        byte[] webp = dev.thumbnail.testfixtures.TestImages.losslessWebpHeader(7000, 7000);
        long before = countOriginals();

        given()
                .multiPart("image_data", "bomb.webp", webp, "image/webp")
                .when().post("/create")
                .then()
                .statusCode(413)
                .contentType("application/problem+json")
                .body("code", equalTo("IMAGE_TOO_LARGE"))
                .body("detail", org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.containsString("7000x7000"),
                        org.hamcrest.Matchers.containsString("10000000")));
        assertEquals(before, countOriginals(), "nothing stored");
    }

    @Test
    void rejectsAJpegCutInsideItsHeaderWith400() {
        byte[] jpeg = java.util.Arrays.copyOf(dev.thumbnail.testfixtures.TestImages.jpegWithExif(
                TestImages.encoded(64, 48, "jpg"), dev.thumbnail.testfixtures.TestImages.exifTiff(1)), 60);

        given()
                .multiPart("image_data", "cut.jpg", jpeg, "image/jpeg")
                .when().post("/create")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("CORRUPT_IMAGE"));
    }

    private static long countOriginals() throws Exception {
        Path originals = SharedInfrastructure.get().bucket().resolve(BlobKeys.ORIGINALS);
        if (!Files.isDirectory(originals)) {
            return 0;
        }
        try (var files = Files.list(originals)) {
            return files.count();
        }
    }

    @Test
    void rejectsAMissingImageFieldWith400() {
        given()
                .multiPart("something_else", "x.png", TestImages.encoded(10, 10, "png"), "image/png")
                .when().post("/create")
                .then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("MISSING_IMAGE"));
    }

    @Test
    void rejectsAnEmptyImageWith400() {
        given()
                .multiPart("image_data", "empty.png", new byte[0], "image/png")
                .when().post("/create")
                .then()
                .statusCode(400)
                .body("code", equalTo("MISSING_IMAGE"));
    }

    @Test
    void servesNoThumbnailBeforeTheTaskSucceeded() {
        String taskId = given()
                .multiPart("image_data", "a.png", TestImages.encoded(10, 10, "png"), "image/png")
                .when().post("/create")
                .then().statusCode(202)
                .extract().path("data.task_id");

        // No worker runs beside these tests: the task stays PENDING.
        given().get("/thumbnail/" + taskId).then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("code", equalTo("THUMBNAIL_NOT_READY"))
                .body("detail", equalTo("The task has not finished yet; its thumbnail is not ready."));
    }
}
