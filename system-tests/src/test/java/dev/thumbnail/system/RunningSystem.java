package dev.thumbnail.system;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.thumbnail.devinfra.QuarkusApp;
import dev.thumbnail.devinfra.SharedInfrastructure;

/**
 * The whole system, once per test JVM: real Kafka and Redis (dev-infra) plus the packaged api-service and
 * resize-worker, each in its own JVM, sharing one bucket directory as they would share a volume.
 */
final class RunningSystem {

    private static RunningSystem instance;

    final QuarkusApp api;
    final QuarkusApp worker;

    private RunningSystem(QuarkusApp api, QuarkusApp worker) {
        this.api = api;
        this.worker = worker;
    }

    static synchronized RunningSystem get() {
        if (instance == null) {
            SharedInfrastructure infra = SharedInfrastructure.get();
            Path root = Path.of(System.getProperty("repo.root", ".."));
            Path logs = infra.newDirectory("logs");
            Map<String, String> shared = Map.of(
                    "kafka.bootstrap.servers", infra.kafka().bootstrapServers(),
                    "thumbnail.storage.dir", infra.bucket().toString());
            List<String> jvm = List.of("-Xmx256m", "-XX:+UseSerialGC");
            QuarkusApp api = QuarkusApp.start("api-service",
                    root.resolve("api-service/target/quarkus-app/quarkus-run.jar"),
                    with(shared, "quarkus.redis.hosts", infra.redis().url()), jvm, logs);
            QuarkusApp worker = QuarkusApp.start("resize-worker",
                    root.resolve("resize-worker/target/quarkus-app/quarkus-run.jar"),
                    with(shared, "thumbnail.worker.concurrency", "2"), jvm, logs);
            instance = new RunningSystem(api, worker);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                worker.close();
                api.close();
            }, "system-under-test-stop"));
        }
        return instance;
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        var map = new java.util.HashMap<>(base);
        map.put(key, value);
        return map;
    }
}
