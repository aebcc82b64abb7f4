package dev.thumbnail.api.config;

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

    Log log();

    /** The API's own logging switch; those both services have are {@code LogSettings}. */
    interface Log {
        /**
         * One access-log line per HTTP request (to access.log with {@code thumbnail.log.to-files}, else the console).
         * Its default is in application.properties, for the reason {@code LogSettings} gives.
         */
        boolean access();
    }

    Events events();

    Dashboard dashboard();

    /**
     * The API's sweeping of the bucket; where the bucket is ({@code thumbnail.storage.type}, {@code dir}, {@code s3.*})
     * is {@code BucketSettings}, shared with the workers.
     */
    interface Storage {
        /** How often blobs older than the retention are deleted. */
        @WithDefault("PT1H")
        Duration sweepInterval();

        /**
         * Whether this service deletes expired blobs itself: by default on a directory, and not on S3, where a lifecycle
         * rule on the bucket does it without listing (README).
         */
        Optional<Boolean> sweep();
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

        /**
         * How long an upload waits for the broker to acknowledge its request before answering 503; the producer gives
         * the request up at the same moment ({@code delivery.timeout.ms}), so a 503 is never delivered later.
         */
        @WithDefault("10s")
        Duration sendTimeout();

        /**
         * How long the producer waits to put requests that arrive together into one produce request ({@code linger.ms},
         * Kafka's default since 4.0): fewer requests for the broker under load, at most this much added latency.
         */
        @WithDefault("5ms")
        Duration linger();
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

        /**
         * The longest an upload's body may take to arrive, from the start of its reading: past it the upload is
         * refused with 408 ({@code UPLOAD_TIMEOUT}). Without it a client that trickles a byte now and then (each byte
         * resets {@code quarkus.http.read-timeout}) holds a request thread and a staging file for as long as it likes;
         * with it a thread is held at most this long plus the read timeout (the check runs when bytes arrive).
         * 120 s carries the 20 MB limit at about 1.4 Mbit/s.
         */
        @WithDefault("120s")
        Duration timeout();
    }

    interface Events {
        /** Redis pub/sub channel the fold announces every applied status change on; every API instance listens. */
        @WithDefault("task-events")
        String channel();

        /**
         * Changes one {@code /events} subscriber may fall behind by before its stream is ended (it reconnects and
         * reloads), so a slow dashboard cannot make an instance hold an ever-growing queue.
         */
        @WithDefault("1000")
        int subscriberBuffer();

        /**
         * A comment line is sent on every open event stream this often, so that proxies, which close silent
         * connections (nginx and most ingresses after 60 s), keep them open.
         */
        @WithDefault("15s")
        Duration keepAlive();

        /**
         * Event streams and {@code ?wait=} requests open at once on this instance, in all. Each is one Redis read per
         * change of its task on the instance's one Redis connection, whose client fails commands beyond 4,096 waiting
         * for replies: the default keeps a burst of them under that. Past it a {@code ?wait=} gets 503, a stream its
         * current state and its end (an EventSource comes back by itself).
         */
        @WithDefault("2000")
        int maxOpen();

        /** The same, for one API key (not applied when authentication is off); past it a {@code ?wait=} gets 429. */
        @WithDefault("200")
        int maxOpenPerKey();
    }

    interface Dashboard {
        /** Most tasks kept in the recent-task index ({@code tasks:recent}); older entries are dropped at create. */
        @WithDefault("1000")
        int recentTasks();

        /** Oldest task kept in the recent-task index. */
        @WithDefault("PT24H")
        Duration recentMaxAge();

        /** Rows of the recent-task table in the summary. */
        @WithDefault("100")
        int tableSize();

        /** Status changes kept per task for its timeline. */
        @WithDefault("20")
        int timelineLength();

        /** Workers not heard from for this long are dropped from the list, with their counts. */
        @WithDefault("PT1H")
        Duration workersMaxAge();

        /** How far back the per-minute throughput and latency chart goes. */
        @WithDefault("PT15M")
        Duration window();
    }
}
