package dev.thumbnail.api.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every operator-tunable setting of the API, under the prefix {@code thumbnail.} (env {@code THUMBNAIL_...}). */
@ConfigMapping(prefix = "thumbnail")
public interface ApiConfig {

    Storage storage();

    /** How long task statuses, originals and thumbnails are kept. */
    @WithDefault("P7D")
    Duration retention();

    Target target();

    Kafka kafka();

    Auth auth();

    Upload upload();

    interface Storage {
        /** Root of the blob store shared with the workers (a volume in containers). */
        Path dir();
    }

    interface Target {
        @WithDefault("100")
        int width();

        @WithDefault("100")
        int height();
    }

    interface Kafka {
        /** Partitions of both topics when the API creates them; caps how many workers share the load. */
        @WithDefault("6")
        int partitions();

        /** Replication factor of the topics it creates; the broker's default when unset. */
        Optional<Short> replicationFactor();

        /** How long an upload waits for the broker to acknowledge its request before answering 503. */
        @WithDefault("10s")
        Duration sendTimeout();
    }

    interface Auth {
        /** Bearer tokens that may use the API; each key sees only its own tasks. Auth is off when both lists are empty. */
        Optional<List<String>> apiKeys();

        /** Bearer tokens that may use every endpoint and read every task. */
        Optional<List<String>> adminKeys();
    }

    interface Upload {
        /** Largest accepted request body; {@code quarkus.http.limits.max-body-size} follows it. */
        @WithDefault("20M")
        MemorySize maxBytes();

        /** Tasks not finished yet that one key may have before uploads are refused with 429. */
        @WithDefault("1000")
        int maxPendingPerKey();
    }
}
