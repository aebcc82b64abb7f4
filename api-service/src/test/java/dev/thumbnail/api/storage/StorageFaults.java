package dev.thumbnail.api.storage;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import dev.thumbnail.testfixtures.TestImages;

/** What clients see while the bucket cannot be written, and after: the same for every kind of bucket. */
final class StorageFaults {

    private StorageFaults() {
    }

    /** An upload answers 503 + Retry-After with the problem document; readiness names storage DOWN. */
    static void assertUploadsRefusedAndNotReady() {
        given().multiPart("image_data", "a.png", TestImages.encoded(40, 30, "png"), "image/png")
                .when().post("/create").then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("code", equalTo("SERVICE_UNAVAILABLE"));
        String health = given().get("/q/health/ready").then().statusCode(503).extract().asString();
        assertTrue(health.contains("\"storage\"") && health.contains("DOWN"), health);
    }

    /** Ready again within 30 s, and uploads accepted. */
    static void assertRecovered() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200));
        given().multiPart("image_data", "a.png", TestImages.encoded(40, 30, "png"), "image/png")
                .when().post("/create").then().statusCode(202);
    }
}
