package dev.thumbnail.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import dev.thumbnail.testfixtures.TestImages;
import io.restassured.specification.RequestSpecification;

/** What the API's tests do again and again, written once: wait until the service is ready, upload a small image. */
public final class ApiTests {

    private ApiTests() {
    }

    /** Waits (up to 60 s) until readiness answers 200: Kafka, Redis and the bucket all reachable. */
    public static void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200));
    }

    /** Uploads a 20x20 PNG named {@code filename} without a key; expects 202 and returns the task id. */
    public static String upload(String filename) {
        return upload(null, filename);
    }

    /** Uploads a 20x20 PNG named {@code filename} with the API key {@code key} (none when null); returns the task id. */
    public static String upload(String key, String filename) {
        RequestSpecification request = key == null ? given() : given().header("Authorization", "Bearer " + key);
        return request
                .multiPart("image_data", filename, TestImages.encoded(20, 20, "png"), "image/png")
                .when().post("/create")
                .then().statusCode(202)
                .extract().path("data.task_id");
    }
}
