package dev.thumbnail.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.thumbnail.testfixtures.TestImages;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/** Upload over HTTP, through Kafka, the worker and Redis, back to a downloadable thumbnail. */
class PipelineIT {

    record Upload(String name, String mimeType, byte[] bytes, int width, int height, String thumbnailType,
            int thumbnailWidth, int thumbnailHeight) {
    }

    @BeforeAll
    static void startTheSystem() {
        RestAssured.baseURI = RunningSystem.get().api.baseUrl();
    }

    @Test
    void turnsSeveralUploadsIntoThumbnailsOfTheRightSize() throws Exception {
        List<Upload> uploads = List.of(
                new Upload("landscape.jpg", "image/jpeg", TestImages.encoded(1920, 1280, "jpg"), 1920, 1280,
                        "image/jpeg", 100, 67),
                new Upload("portrait.jpg", "image/jpeg", TestImages.encoded(1000, 1500, "jpg"), 1000, 1500,
                        "image/jpeg", 67, 100),
                new Upload("Square_on_hyperbolic_plane.png", "image/png", TestImages.encoded(613, 624, "png"), 613,
                        624, "image/png", 98, 100),
                new Upload("panorama.jpg", "image/jpeg", TestImages.encoded(3000, 300, "jpg"), 3000, 300,
                        "image/jpeg", 100, 10),
                new Upload("small.png", "image/png", TestImages.encoded(64, 48, "png"), 64, 48, "image/png", 64, 48),
                new Upload("drawing.gif", "image/gif", TestImages.encoded(400, 300, "gif"), 400, 300, "image/jpeg",
                        100, 75));

        Map<String, Upload> tasks = new LinkedHashMap<>();
        for (Upload upload : uploads) {
            String taskId = given()
                    .multiPart("image_data", upload.name(), upload.bytes(), upload.mimeType())
                    .when().post("/create")
                    .then().statusCode(202)
                    .body("status", equalTo("success"))
                    .header("Location", matchesPattern(".*/status/" + "[0-9a-f-]{36}"))
                    .extract().path("data.task_id");
            tasks.put(taskId, upload);
        }

        for (Map.Entry<String, Upload> task : tasks.entrySet()) {
            String taskId = task.getKey();
            Upload upload = task.getValue();
            JsonPath status = awaitTerminal(taskId);

            assertEquals("SUCCESS", status.getString("status"), upload.name() + ": " + status.prettify());
            assertEquals(List.of(upload.width(), upload.height()), status.getList("result.Original.Size"));
            assertEquals(List.of(upload.thumbnailWidth(), upload.thumbnailHeight()),
                    status.getList("result.Thumbnail.Size"));
            assertEquals("originals/" + taskId, status.getString("result.Original.file_path"));

            byte[] thumbnail = given().get("/thumbnail/" + taskId).then()
                    .statusCode(200)
                    .contentType(upload.thumbnailType())
                    .extract().asByteArray();
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(thumbnail));
            assertEquals(upload.thumbnailWidth(), decoded.getWidth(), upload.name());
            assertEquals(upload.thumbnailHeight(), decoded.getHeight(), upload.name());
            assertEquals(status.getLong("result.Thumbnail.bytes"), thumbnail.length);
        }
    }

    @Test
    void reportsATruncatedImageAsFailureWithItsCode() {
        byte[] truncated = Arrays.copyOf(TestImages.encoded(640, 480, "jpg"), 400);
        String taskId = given()
                .multiPart("image_data", "broken.jpg", truncated, "image/jpeg")
                .when().post("/create")
                .then().statusCode(202)
                .extract().path("data.task_id");

        JsonPath status = awaitTerminal(taskId);

        assertEquals("FAILURE", status.getString("status"));
        assertEquals("CORRUPT_IMAGE", status.getString("result.error.code"));
        given().get("/thumbnail/" + taskId).then().statusCode(404);
    }

    static JsonPath awaitTerminal(String taskId) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(
                () -> given().get("/status/" + taskId).then().statusCode(200).extract().jsonPath(),
                json -> json.getString("status").equals("SUCCESS") || json.getString("status").equals("FAILURE"));
    }
}
