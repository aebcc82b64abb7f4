package dev.thumbnail.devinfra;

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
public final class KafkaBroker extends LoopbackServer {

    private static final String CLASSPATH_RESOURCE = "kafka-broker.classpath";

    private final int controllerPort;

    private KafkaBroker(Path dir, int port, int controllerPort) {
        super(dir, port);
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

    @Override
    List<String> command() {
        return List.of(LocalKafka.javaBinary(), "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                brokerClasspath(), LocalKafka.class.getName(), "--port", String.valueOf(port), "--controller-port",
                String.valueOf(controllerPort), "--dir", dir.toString(), "--parent-pid",
                String.valueOf(ProcessHandle.current().pid()));
    }

    @Override
    String name() {
        return "Kafka broker";
    }

    @Override
    Duration startTimeout() {
        return Duration.ofSeconds(90);
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

    @Override
    boolean answers() {
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
        return LoopbackServer.classpath(LocalKafka.class, CLASSPATH_RESOURCE);
    }
}
