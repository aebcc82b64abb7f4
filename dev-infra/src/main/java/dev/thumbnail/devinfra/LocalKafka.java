package dev.thumbnail.devinfra;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

/**
 * Runs a single-node Kafka broker in KRaft mode (broker and controller in one process) in this JVM, bound to loopback.
 * The storage directory is formatted on first use and reused afterwards, so a restarted broker keeps its topics.
 *
 * <pre>
 * java -cp "$(cat kafka-broker.classpath):dev-infra/target/classes" dev.thumbnail.devinfra.LocalKafka \
 *      --port 9092 --controller-port 9093 --dir /tmp/kafka [--parent-pid 1234]
 * </pre>
 *
 * With {@code --parent-pid} the broker halts as soon as that process is gone, so a killed test run leaves no broker
 * behind.
 */
public final class LocalKafka {

    private static final String OVERRIDE_PREFIX = "localkafka.";

    private LocalKafka() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path config = writeConfig(options);
        if (!Files.exists(options.dir.resolve("logs").resolve("meta.properties"))) {
            format(config);
        }
        if (options.parentPid > 0) {
            haltWhenGone(options.parentPid);
        }
        Class.forName("kafka.Kafka").getMethod("main", String[].class)
                .invoke(null, (Object) new String[] { config.toString() });
    }

    static Path writeConfig(Options options) throws IOException {
        Files.createDirectories(options.dir.resolve("logs"));
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + options.controllerPort);
        p.setProperty("listeners",
                "PLAINTEXT://127.0.0.1:" + options.port + ",CONTROLLER://127.0.0.1:" + options.controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + options.port);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("log.dirs", options.dir.resolve("logs").toString());
        // A single node can hold one replica of the internal topics; without these, consumer groups never form.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "6");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        // The services create their topics with the partition count and clean-up policy they need; a topic created
        // by accident (a typo, a consumer subscribing early) would silently get the wrong ones.
        p.setProperty("auto.create.topics.enable", "false");
        // Threads for one node on a small machine: Kafka's defaults (3 network threads, 8 request handlers, 10
        // background threads) are for a dedicated server. Measured on 2 cores under the system benchmark's load, two
        // back-to-back pairs: the broker's share of the system's CPU fell from 11.0-11.5% to 8.7-10.0%, its CPU per
        // image by about a quarter (docs/BENCHMARKS.md).
        p.setProperty("num.network.threads", "1");
        p.setProperty("num.io.threads", "2");
        p.setProperty("background.threads", "2");
        // Any broker setting, for experiments: -Dlocalkafka.<name>=<value> (run.sh: KAFKA_JAVA_OPTS).
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith(OVERRIDE_PREFIX)) {
                p.setProperty(name.substring(OVERRIDE_PREFIX.length()), System.getProperty(name));
            }
        }
        Path config = options.dir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            p.store(out, "written by dev.thumbnail.devinfra.LocalKafka");
        }
        return config;
    }

    private static void format(Path config) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "kafka.tools.StorageTool",
                "format", "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22), "-c",
                config.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException("formatting the Kafka storage failed:\n" + output);
        }
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void haltWhenGone(long parentPid) {
        Thread watchdog = new Thread(() -> {
            while (ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(0);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    record Options(int port, int controllerPort, Path dir, long parentPid) {

        static Options parse(String[] args) {
            int port = 9092;
            int controllerPort = 9093;
            Path dir = null;
            long parentPid = 0;
            for (int i = 0; i + 1 < args.length; i += 2) {
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(args[i + 1]);
                    case "--controller-port" -> controllerPort = Integer.parseInt(args[i + 1]);
                    case "--dir" -> dir = Path.of(args[i + 1]);
                    case "--parent-pid" -> parentPid = Long.parseLong(args[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (dir == null) {
                throw new IllegalArgumentException("--dir is required");
            }
            return new Options(port, controllerPort, dir, parentPid);
        }
    }
}
