package dev.thumbnail.system;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.thumbnail.testfixtures.QuarkusApp;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.testfixtures.TestImages;

/**
 * {@code thumbnail.log.json=true} turns the console into JSON lines for ELK/Loki, with the task id of each line about
 * a task in its MDC. A second worker, started with JSON logs, joins the running system's consumer group; uploads are
 * made until one of them is handled by it.
 */
class JsonLoggingIT {

    @Test
    void writesJsonLinesCarryingTheTaskIdWhenSwitchedOn() throws Exception {
        RunningSystem system = RunningSystem.get();
        SharedInfrastructure infra = SharedInfrastructure.get();
        Path root = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath();
        try (QuarkusApp worker = QuarkusApp.start("resize-worker-json",
                root.resolve("resize-worker/target/quarkus-app/quarkus-run.jar"),
                Map.of("kafka.bootstrap.servers", infra.kafka().bootstrapServers(),
                        "thumbnail.storage.dir", infra.bucket().toString(),
                        "thumbnail.log.json", "true"),
                List.of("-Xmx192m", "-XX:+UseSerialGC"), infra.newDirectory("logs-json"))) {
            List<String> taskIds = new ArrayList<>();
            String line = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
                taskIds.add(given().baseUri(system.api.baseUrl())
                        .multiPart("image_data", "j.png", TestImages.encoded(64, 48, "png"), "image/png")
                        .when().post("/create").then().statusCode(202).extract().path("data.task_id"));
                return taskLine(worker.log(), taskIds);
            }, found -> found != null);

            assertTrue(line.matches(".*\"level\":\"[A-Z]+\".*"), line);
            assertTrue(line.contains("\"loggerName\":\"dev.thumbnail.worker.task.TaskProcessor\""), line);
            assertTrue(taskIds.stream().anyMatch(id -> line.matches(".*\"mdc\":\\{[^}]*\"taskId\":\"" + id + "\".*")),
                    line);
        }
    }

    /** The first log line about one of {@code taskIds}, which must be a JSON object. */
    private static String taskLine(Path log, List<String> taskIds) throws Exception {
        for (String text : Files.readAllLines(log)) {
            if (taskIds.stream().anyMatch(text::contains)) {
                assertTrue(text.startsWith("{") && text.endsWith("}"), "not a JSON line: " + text);
                return text;
            }
        }
        return null;
    }
}
