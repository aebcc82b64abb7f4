package dev.thumbnail.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.thumbnail.api.task.Completions;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.PrometheusText;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.testfixtures.TestKafka;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** What the API's tests do again and again, written once: wait until the service is ready, upload a small image. */
public final class ApiTests {

    private ApiTests() {
    }

    /**
     * Waits (up to 60 s each) until readiness answers 200 (Kafka, Redis and the bucket reachable) and the task view is
     * complete. An earlier test may have restarted Redis empty: the view is then rebuilt from the topics, and while
     * that runs the API answers 503 for a task it does not hold yet.
     */
    public static void awaitReady() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> management().get("/q/health/ready").then()
                .statusCode(200));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/status/" + NO_SUCH_TASK).then()
                .statusCode(not(503)));
    }

    /** The sum of every series of the Prometheus metric {@code name} (all its tags), from {@code /q/metrics}. */
    public static double metric(String name) {
        return PrometheusText.sum(management().get("/q/metrics").then().statusCode(200).extract().asString(), name);
    }

    /** The management interface's port when the service runs packaged under the *IT tests (application.properties). */
    static final int IT_MANAGEMENT_PORT = 9001;

    /**
     * A request to where health and metrics are served: the packaged service (built with the prod profile) has them
     * on its management interface, the in-process one of {@code @QuarkusTest} on its only port. Told apart by the main
     * port's answer for {@code /q/health/live}: 404 when the management interface holds it.
     */
    public static RequestSpecification management() {
        if (onManagementPort == null) {
            onManagementPort = given().get("/q/health/live").statusCode() == 404;
        }
        return onManagementPort ? given().port(IT_MANAGEMENT_PORT) : given();
    }

    private static volatile Boolean onManagementPort;

    /** A well-formed task id that no test creates. */
    private static final String NO_SUCH_TASK = "00000000-0000-4000-8000-000000000000";

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

    /** What a client waiting with {@code ?wait=20} was answered, and after how many seconds. */
    public record Waited(Response response, double seconds) {
    }

    /**
     * A client asks {@code GET /status/{taskId}?wait=20}; {@code pauseMillis} later the task's SUCCESS event goes to
     * the completions topic. Returns the answer and the time from the request to it.
     */
    public static Waited waitWhileItSucceeds(String taskId, long pauseMillis) throws Exception {
        long start = System.nanoTime();
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() ->
                given().get("/status/" + taskId + "?wait=20"));
        Thread.sleep(pauseMillis);
        TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.success(taskId));
        Response response = waiting.get();
        return new Waited(response, (System.nanoTime() - start) / 1e9);
    }
}
