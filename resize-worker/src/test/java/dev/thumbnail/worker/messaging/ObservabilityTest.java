package dev.thumbnail.worker.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.LogCapture;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.testfixtures.TestKafka;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Metrics move and log lines about a task carry its id, on the real broker. */
@QuarkusTest
@WithTestResource(value = KafkaRedisTestResource.class, initArgs = @ResourceArg(name = KafkaRedisTestResource.TOPICS,
        value = Topics.RESIZE_REQUESTS + "," + Topics.RESIZE_COMPLETIONS))
class ObservabilityTest {

    private LogCapture logs;


    @BeforeEach
    void captureLogs() {
        logs = LogCapture.start();
    }

    @AfterEach
    void stopCapturing() {
        logs.close();
    }

    @Test
    void countsAndTimesEachTaskInPrometheusMetrics() throws Exception {
        String taskId = process(TestImages.encoded(300, 200, "png"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("thumbnail_worker_tasks_total{code=\"\",format=\"PNG\",status=\"SUCCESS\"}"))
                .body(containsString("thumbnail_worker_stage_seconds_count{format=\"PNG\",stage=\"decode\"}"))
                .body(containsString("thumbnail_worker_stage_seconds_count{format=\"PNG\",stage=\"encode\"}"))
                .body(containsString("thumbnail_worker_bytes_out_bytes_count"))
                // The plain Kafka clients' own metrics: consumer lag for autoscaling, producer errors for alerts.
                .body(containsString("kafka_consumer_fetch_manager_records_lag"))
                .body(containsString("kafka_producer_record_error_total")));
        // The in-flight gauge must outlive a full collection (it once held its value only weakly and went blank).
        System.gc();
        System.gc();
        given().get("/q/metrics").then().statusCode(200)
                .body(matchesPattern("(?s).*\\nthumbnail_worker_in_flight(\\{[^}]*\\})? [0-9]+\\.[0-9]+\\n.*"));
        String broken = process("not an image".getBytes());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/metrics").then()
                .body(containsString("thumbnail_worker_tasks_total{code=\"UNSUPPORTED_FORMAT\"")));
        assertTrue(!taskId.equals(broken));
    }

    @Test
    void tagsEveryLogLineAboutATaskWithItsId() throws Exception {
        String taskId = process(TestImages.encoded(120, 80, "jpg"));

        await().atMost(Duration.ofSeconds(30)).until(() -> logs.records().stream()
                .anyMatch(r -> taskId.equals(r.getMdc("taskId")) && r.getFormattedMessage().contains("SUCCESS")));
        logs.records().stream()
                .filter(r -> r.getFormattedMessage() != null && r.getFormattedMessage().contains(taskId))
                .forEach(r -> assertTrue(taskId.equals(r.getMdc("taskId")),
                        "log line without the taskId MDC: " + r.getFormattedMessage()));
    }

    private static String process(byte[] image) throws Exception {
        String taskId = UUID.randomUUID().toString();
        Path path = SharedInfrastructure.get().bucket().resolve(BlobKeys.original(taskId));
        Files.createDirectories(path.getParent());
        Files.write(path, image);
        TestKafka.send(Topics.RESIZE_REQUESTS, taskId, """
                {"version":1,"taskId":"%1$s","originalKey":"originals/%1$s","originalFilename":"x",
                 "contentType":"image/png","sizeBytes":%2$d,
                 "target":{"width":100,"height":100,"mode":"FIT"},"requestedAt":"2026-01-01T00:00:00Z"}
                """.formatted(taskId, image.length));
        return taskId;
    }
}
