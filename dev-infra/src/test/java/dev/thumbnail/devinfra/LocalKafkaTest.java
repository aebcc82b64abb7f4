package dev.thumbnail.devinfra;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaTest {

    @TempDir
    Path dir;

    @Test
    void writesASingleNodeConfigWithFewThreads() throws IOException {
        Properties config = written();

        assertEquals("broker,controller", config.getProperty("process.roles"));
        assertEquals("PLAINTEXT://127.0.0.1:19092", config.getProperty("advertised.listeners"));
        assertEquals("1", config.getProperty("num.network.threads"));
        assertEquals("2", config.getProperty("num.io.threads"));
        assertEquals("false", config.getProperty("auto.create.topics.enable"));
    }

    @Test
    void aSystemPropertyOverridesAnyBrokerSetting() throws IOException {
        System.setProperty("localkafka.num.io.threads", "4");
        System.setProperty("localkafka.log.flush.interval.messages", "1");
        try {
            Properties config = written();

            assertEquals("4", config.getProperty("num.io.threads"));
            assertEquals("1", config.getProperty("log.flush.interval.messages"));
        } finally {
            System.clearProperty("localkafka.num.io.threads");
            System.clearProperty("localkafka.log.flush.interval.messages");
        }
    }

    private Properties written() throws IOException {
        Path file = LocalKafka.writeConfig(new LocalKafka.Options(19092, 19093, dir, 0));
        Properties config = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            config.load(in);
        }
        return config;
    }
}
