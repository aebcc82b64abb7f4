package dev.thumbnail.api.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

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
}
