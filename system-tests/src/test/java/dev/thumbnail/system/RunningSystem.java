package dev.thumbnail.system;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.thumbnail.testfixtures.QuarkusApp;
import dev.thumbnail.testfixtures.SharedInfrastructure;

/**
 * The whole system, once per test JVM: real Kafka and Redis (dev-infra) plus the packaged api-service and
 * resize-worker, each in its own JVM, sharing one bucket: a directory as they would share a volume ({@link #get()}),
 * or a bucket on the local S3-API server ({@link #onS3()}). Asking for the other kind stops the running pair first
 * (they would share the consumer groups), so the test classes of one kind are best run together (failsafe runs them
 * in alphabetical order).
 */
final class RunningSystem {

    private static RunningSystem instance;

    final QuarkusApp api;
    final QuarkusApp worker;
    final boolean s3;
    private final Map<String, String> shared;
    private final Path logs;

    private RunningSystem(QuarkusApp api, QuarkusApp worker, boolean s3, Map<String, String> shared, Path logs) {
        this.api = api;
        this.worker = worker;
        this.s3 = s3;
        this.shared = shared;
        this.logs = logs;
    }

    private static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC");
    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));

    /** One more worker of the same group, its worker id {@code name}, for the fault tests; the caller stops it. */
    QuarkusApp startAnotherWorker(String name) {
        return startWorker(name, shared, Map.of("thumbnail.worker.id", name), logs);
    }

    /** One more API instance on the same Kafka, Redis and bucket (another member of the fold's group). */
    QuarkusApp startAnotherApi(String name) {
        return startAnotherApi(name, Map.of());
    }

    /** {@link #startAnotherApi(String)} with settings of its own ({@code thumbnail.auth.api-keys}, say). */
    QuarkusApp startAnotherApi(String name, Map<String, String> settings) {
        return startApi(name, shared, settings, logs);
    }

    private static QuarkusApp startApi(String name, Map<String, String> shared, Map<String, String> settings,
            Path logs) {
        Map<String, String> config = with(shared, "quarkus.redis.hosts", SharedInfrastructure.get().redis().url());
        config.putAll(settings);
        return QuarkusApp.start(name, ROOT.resolve("api-service/target/quarkus-app/quarkus-run.jar"), config, JVM,
                logs);
    }

    private static QuarkusApp startWorker(String name, Map<String, String> shared, Map<String, String> settings,
            Path logs) {
        Map<String, String> config = with(shared, "thumbnail.worker.concurrency", "2");
        config.putAll(settings);
        return QuarkusApp.start(name, ROOT.resolve("resize-worker/target/quarkus-app/quarkus-run.jar"), config, JVM,
                logs);
    }

    /** On the directory bucket. */
    static RunningSystem get() {
        return get(false);
    }

    /** On an S3 bucket of the local S3-API server (S3Proxy). */
    static RunningSystem onS3() {
        return get(true);
    }

    private static synchronized RunningSystem get(boolean s3) {
        if (instance != null && instance.s3 != s3) {
            instance.stop();
            instance = null;
        }
        if (instance == null) {
            SharedInfrastructure infra = SharedInfrastructure.get();
            Path logs = infra.newDirectory(s3 ? "logs-s3" : "logs");
            Map<String, String> shared = new java.util.HashMap<>(Map.of(
                    "kafka.bootstrap.servers", infra.kafka().bootstrapServers(),
                    "thumbnail.storage.dir", infra.bucket().toString()));
            if (s3) {
                shared.putAll(infra.s3Settings("thumbnails-it"));
            }
            QuarkusApp api = startApi("api-service", shared, Map.of(), logs);
            QuarkusApp worker = startWorker("resize-worker", shared, Map.of(), logs);
            if (!hooked) {
                Runtime.getRuntime().addShutdownHook(new Thread(RunningSystem::stopCurrent, "system-under-test-stop"));
                hooked = true;
            }
            instance = new RunningSystem(api, worker, s3, shared, logs);
        }
        return instance;
    }

    private static boolean hooked;

    private static synchronized void stopCurrent() {
        if (instance != null) {
            instance.stop();
        }
    }

    private void stop() {
        worker.close();
        api.close();
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        var map = new java.util.HashMap<>(base);
        map.put(key, value);
        return map;
    }
}
