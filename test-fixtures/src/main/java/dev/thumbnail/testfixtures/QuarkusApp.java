package dev.thumbnail.testfixtures;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.thumbnail.devinfra.ChildProcess;
import dev.thumbnail.devinfra.FreePort;
import dev.thumbnail.devinfra.LocalKafka;

/**
 * A packaged Quarkus application ({@code target/quarkus-app/quarkus-run.jar}) in its own JVM on a free port, started
 * the way it runs in production and configured through system properties. Ready when {@code /q/health/ready} is UP.
 * An application with Quarkus' management interface (the API) serves health and metrics on a second free port
 * ({@link #managementUrl()}); one without it (the worker) serves them on its only port.
 */
public final class QuarkusApp implements AutoCloseable {

    private final ChildProcess process;
    private final int port;
    private final int managementPort;
    private final Path log;
    /** Where {@code /q/health} answered: the management interface's URL or the main one. */
    private volatile String managementUrl;

    private QuarkusApp(ChildProcess process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    public static QuarkusApp start(String name, Path runJar, Map<String, String> config, List<String> jvmOptions,
            Path logDir) {
        if (!Files.isRegularFile(runJar)) {
            throw new IllegalStateException(runJar + " missing: package the service first (./mvnw package)");
        }
        int port = FreePort.find();
        int managementPort = FreePort.find();
        while (managementPort == port) {
            managementPort = FreePort.find();
        }
        List<String> command = new ArrayList<>();
        command.add(LocalKafka.javaBinary());
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.http.host=127.0.0.1");
        command.add("-Dquarkus.management.port=" + managementPort);
        command.add("-Dquarkus.management.host=127.0.0.1");
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(runJar.toString());
        Path log = logDir.resolve(name + ".log");
        QuarkusApp app = new QuarkusApp(ChildProcess.start(name, command, log), port, managementPort, log);
        app.process.awaitReady(Duration.ofSeconds(120), app::ready);
        return app;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The base URL of {@code /q/health} and {@code /q/metrics}: the management interface's where it has one. */
    public String managementUrl() {
        String url = managementUrl;
        if (url == null) {
            throw new IllegalStateException("not ready yet");
        }
        return url;
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        process.stop();
    }

    /** SIGKILL, as when its node or container dies. */
    public void kill() {
        process.kill();
    }

    /** Sends {@code signal} ({@code STOP} freezes the process with its sockets open, {@code CONT} resumes it). */
    public void signal(String signal) {
        process.signal(signal);
    }

    /** SIGTERM, as Kubernetes stops a pod; how long it took to exit, or null when not within {@code timeout}. */
    public Duration terminate(Duration timeout) {
        return process.terminate(timeout);
    }

    private boolean ready() {
        for (String url : List.of("http://127.0.0.1:" + managementPort, baseUrl())) {
            if (readiness(url) == 200) {
                managementUrl = url;
                return true;
            }
        }
        return false;
    }

    /** The status of {@code url}'s readiness check, or -1 when nothing answered there. */
    private static int readiness(String url) {
        try {
            return HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
