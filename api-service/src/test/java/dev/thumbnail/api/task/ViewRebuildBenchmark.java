package dev.thumbnail.api.task;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.thumbnail.api.auth.ApiKeys;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.api.ApiTests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * How long the view takes to rebuild 100,000 tasks (a request and a SUCCESS each) after Redis restarts empty. Not part
 * of the test run (the name is not a test's); about 40 s on 2 cores:
 *
 * <pre>
 * ./mvnw -pl api-service -am test -Dtest=ViewRebuildBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * The API logs the rebuild's own time ("the task view is rebuilt: ... in N ms"); this prints the time from the
 * restart until the last task written reads SUCCESS for its owner (docs/RELIABILITY.md).
 */
@QuarkusTest
@TestProfile(ViewRebuildTest.Keys.class)
@WithTestResource(KafkaRedisTestResource.class)
class ViewRebuildBenchmark {

    private static final int TASKS = 100_000;

    @Test
    void rebuildsAHundredThousandTasks() throws Exception {
        ApiTests.awaitReady();
        String owner = ApiKeys.ownerIdOf(ViewRebuildTest.A);
        String requestedAt = Instant.now().toString();
        String last = null;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                SharedInfrastructure.get().kafka().bootstrapServers(), "linger.ms", 20, "batch.size", 262_144),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < TASKS; i++) {
                last = UUID.randomUUID().toString();
                producer.send(new ProducerRecord<>(Topics.RESIZE_REQUESTS, last, """
                        {"version":1,"taskId":"%1$s","owner":"%2$s","originalKey":"originals/%1$s",
                         "originalFilename":"x.png","contentType":"image/png","sizeBytes":1000,
                         "target":{"width":100,"height":100,"mode":"FIT"},"requestedAt":"%3$s"}
                        """.formatted(last, owner, requestedAt)));
                producer.send(new ProducerRecord<>(Topics.RESIZE_COMPLETIONS, last, Completions.success(last)));
            }
            producer.flush();
        }
        String lastTask = last;
        // The live fold skips them all (the view never held these tasks); the rebuild restores them.
        Thread.sleep(5_000);
        long start = System.nanoTime();
        SharedInfrastructure.get().redis().stop();
        SharedInfrastructure.get().redis().restart();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().header("Authorization", "Bearer " + ViewRebuildTest.A).get("/status/" + lastTask).then()
                        .statusCode(200).body("status", equalTo("SUCCESS")));
        System.out.printf("[rebuild] %d tasks readable again %d ms after Redis restarted empty%n", TASKS,
                (System.nanoTime() - start) / 1_000_000);
    }
}
