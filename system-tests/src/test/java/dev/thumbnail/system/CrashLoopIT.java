package dev.thumbnail.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.devinfra.KafkaBroker;
import dev.thumbnail.testfixtures.QuarkusApp;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.testfixtures.TestKafka;
import io.restassured.path.json.JsonPath;

/**
 * A request whose image ends whichever worker decodes it, with real processes: a broker of its own, so that no other
 * member of the {@code resize-worker} group can take the request, and one packaged worker at a time, each killed with
 * SIGKILL (what a container killed for its memory gets) as soon as the group's committed offsets show it decoding the
 * image. The third worker must fail the task with {@code WORKER_LOST} without decoding it, and go on with the request
 * after it. About 40 s; loopback only.
 */
class CrashLoopIT {

    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));
    /** 49 MP: a fresh worker decodes it in about 0.3 s; the test looks at the offsets every 10 ms, then kills. */
    private static final int SIDE = 7000;

    @Test
    void aRequestThatEndedTwoWorkersFailsWithWorkerLostAtTheThird() throws Exception {
        Path dir = SharedInfrastructure.get().newDirectory("crash-loop-" + UUID.randomUUID());
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path bucket = Files.createDirectories(dir.resolve("bucket"));
        String doomed = UUID.randomUUID().toString();
        String next = UUID.randomUUID().toString();
        store(bucket, doomed, TestImages.encoded(SIDE, SIDE, "png"));
        store(bucket, next, TestImages.encoded(640, 480, "png"));
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"));
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers()))) {
            broker.ensureTopic(Topics.RESIZE_REQUESTS, 1, Map.of());
            broker.ensureTopic(Topics.RESIZE_COMPLETIONS, 1, Map.of());
            TopicPartition partition = new TopicPartition(Topics.RESIZE_REQUESTS, 0);
            long offset = TestKafka.send(broker.bootstrapServers(), Topics.RESIZE_REQUESTS, doomed, request(doomed))
                    .offset();
            TestKafka.send(broker.bootstrapServers(), Topics.RESIZE_REQUESTS, next, request(next));

            for (int take = 1; take <= 2; take++) {
                String mark = "decoding " + doomed + " take " + take;
                try (QuarkusApp worker = startWorker("resize-worker-" + take, broker, bucket, logs)) {
                    await("take " + take + "'s mark").atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(10))
                            .until(() -> mark.equals(metadataAt(admin, partition, offset)));
                    worker.kill();
                }
                assertEquals(List.of(), outcomes(broker, doomed), "take " + take
                        + " ended before its worker was killed: the image decodes too fast for this test");
            }
            try (QuarkusApp third = startWorker("resize-worker-3", broker, bucket, logs)) {
                await("the outcomes").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                        .until(() -> outcomes(broker, next).size() == 1);
            }
            List<JsonPath> outcomes = outcomes(broker, doomed);
            assertEquals(1, outcomes.size(), "one outcome, from the third worker");
            assertEquals("FAILURE", outcomes.get(0).getString("status"));
            assertEquals("resize-worker-3", outcomes.get(0).getString("worker"));
            assertEquals(ErrorCodes.WORKER_LOST, outcomes.get(0).getString("error.code"));
            assertEquals(ErrorCodes.publicMessage(ErrorCodes.WORKER_LOST), outcomes.get(0).getString("error.message"));
            assertEquals("SUCCESS", outcomes(broker, next).get(0).getString("status"),
                    "the request after it must be made");
            assertFalse(Files.exists(bucket.resolve(BlobKeys.thumbnail(doomed, "PNG"))));
        }
    }

    private static QuarkusApp startWorker(String name, KafkaBroker broker, Path bucket, Path logs) {
        return QuarkusApp.start(name, ROOT.resolve("resize-worker/target/quarkus-app/quarkus-run.jar"), Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "thumbnail.storage.dir", bucket.toString(),
                "thumbnail.worker.concurrency", "1",
                "thumbnail.worker.id", name), List.of("-Xmx256m", "-XX:+UseSerialGC"), logs);
    }

    /** The group's committed metadata for {@code partition} while its committed offset is {@code offset}; else null. */
    private static String metadataAt(Admin admin, TopicPartition partition, long offset) throws Exception {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(Topics.WORKER_GROUP)
                .partitionsToOffsetAndMetadata().get().get(partition);
        return committed != null && committed.offset() == offset ? committed.metadata() : null;
    }

    /** The task's SUCCESS and FAILURE events on the broker's completions topic. */
    private static List<JsonPath> outcomes(KafkaBroker broker, String taskId) {
        return TestKafka.readAll(broker.bootstrapServers(), Topics.RESIZE_COMPLETIONS, Duration.ofMillis(300)).stream()
                .filter(record -> taskId.equals(record.key()))
                .map(record -> new JsonPath(record.value()))
                .filter(event -> !"STARTED".equals(event.getString("status")))
                .toList();
    }

    private static void store(Path bucket, String taskId, byte[] image) throws Exception {
        Path original = bucket.resolve(BlobKeys.original(taskId));
        Files.createDirectories(original.getParent());
        Files.write(original, image);
    }

    private static String request(String taskId) {
        return """
                {"version":1,"taskId":"%1$s","owner":"o","originalKey":"%2$s","originalFilename":"x.png",
                 "contentType":"image/png","sizeBytes":1,"target":{"width":100,"height":100,"mode":"FIT"},
                 "requestedAt":"2026-01-01T00:00:00Z"}
                """.formatted(taskId, BlobKeys.original(taskId));
    }
}
