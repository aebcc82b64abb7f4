package dev.thumbnail.devinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real single-node Kafka broker (KRaft) in a child JVM, on free loopback ports. The broker halts by itself when the
 * JVM that started it goes away. {@link #stop()} and {@link #restart()} let fault tests take it away and bring it back
 * on the same address with the same data.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private ChildProcess process;

    private KafkaBroker(Path dir, int port, int controllerPort) {
        this.dir = dir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    public static KafkaBroker start(Path dir) {
        KafkaBroker broker = new KafkaBroker(dir, FreePort.find(), FreePort.find());
        broker.restart();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Starts the broker again after {@link #stop()}, on the same ports and storage. */
    public synchronized void restart() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = List.of(LocalKafka.javaBinary(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", brokerClasspath(), LocalKafka.class.getName(),
                "--port", String.valueOf(port), "--controller-port", String.valueOf(controllerPort),
                "--dir", dir.toString(), "--parent-pid", String.valueOf(ProcessHandle.current().pid()));
        process = ChildProcess.start("Kafka broker", command, dir.resolve("broker.log"));
        process.awaitReady(Duration.ofSeconds(90), this::answers);
    }

    public synchronized void stop() {
        if (process != null) {
            process.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** Creates a topic unless it exists, as the API does at start-up; for tests that run without the API. */
    public void ensureTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(name)) {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                        .all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    private boolean answers() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
            return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    /** The broker's jars as resolved by Maven when this module was built, plus this module's own classes. */
    static String brokerClasspath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " missing: build dev-infra with Maven first");
            }
            String jars = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            Path ownClasses = Path.of(LocalKafka.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jars + java.io.File.pathSeparator + ownClasses;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
