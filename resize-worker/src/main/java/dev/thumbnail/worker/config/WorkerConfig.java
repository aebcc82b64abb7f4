package dev.thumbnail.worker.config;

import java.time.Duration;
import java.util.Optional;

import dev.thumbnail.worker.pipeline.Encoder;
import dev.thumbnail.worker.pipeline.PipelineSettings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every operator-tunable setting of the worker, under the prefix {@code thumbnail.} (env {@code THUMBNAIL_...}). */
@ConfigMapping(prefix = "thumbnail")
public interface WorkerConfig {

    Worker worker();

    Image image();

    interface Worker {
        /** Identity reported in completion events; host name and process id when unset. */
        Optional<String> id();

        /** How many images are processed at once; see {@link WorkerDefaults} for the default (the core count). */
        int concurrency();

        /** How long the worker waits for the broker to acknowledge a completion event. */
        @WithDefault("30s")
        Duration sendTimeout();

        /**
         * How long a task runs before its STARTED event is sent. Most tasks end well within it, and their one event,
         * SUCCESS or FAILURE, says when they started (the view's timeline shows both): a third fewer events for the
         * broker and the API to carry. Celery, which this service replaces, does not report STARTED at all by
         * default ({@code task_track_started}). 0 sends STARTED at once.
         */
        @WithDefault("100ms")
        Duration startedDelay();

        /**
         * How soon the consumer group gives a silent worker's partitions to the others ({@code session.timeout.ms};
         * 6 s is the broker's default {@code group.min.session.timeout.ms}). Heartbeats go every third of it.
         */
        @WithDefault("6s")
        Duration sessionTimeout();

        /**
         * How long a task waits for the bucket when it is away (reading the original, then writing the thumbnail,
         * each tried again with backoff) before it fails with STORAGE_ERROR. Apart from the image deadline, which
         * bounds the image work alone: DESIGN.md counts a storage fault as transient, work resuming when the store
         * returns, so an outage shorter than this costs latency, not tasks.
         */
        @WithDefault("2m")
        Duration storagePatience();

        /**
         * Images with at least this many pixels (every frame counted), and every image decoded at full size, are
         * guarded against ending worker after worker: their request's offset is committed with a mark before decoding,
         * and the third take of a request on which two workers ended fails with WORKER_LOST
         * ({@code dev.thumbnail.worker.messaging.CrashGuard}). One synchronous commit per such image; 0 guards every
         * image.
         */
        @WithDefault("4000000")
        long crashGuardPixels();
    }

    interface Image {
        /** JPEG thumbnail quality, 0-100. */
        @WithDefault("85")
        int jpegQuality();

        /** AUTO keeps JPEG and PNG and picks by transparency for the rest; JPEG or PNG forces one format. */
        @WithDefault("auto")
        Encoder.OutputFormat outputFormat();

        /** Each image must be done within this time, or it fails with TIMEOUT and the worker moves on. */
        @WithDefault("30s")
        Duration timeout();

        TurboJpeg turbojpeg();

        /**
         * The pipeline these settings describe, with the pixel limits both services share ({@code ImageLimitSettings});
         * the limit of images decoded whole as this worker's heap and concurrency allow it.
         */
        default PipelineSettings pipeline(long maxPixels, long maxDecodedWholePixels) {
            return new PipelineSettings(maxPixels, maxDecodedWholePixels, jpegQuality(), outputFormat(),
                    turbojpeg().enabled(), turbojpeg().library());
        }
    }

    /** libjpeg-turbo for JPEG decoding (shrink-on-load); the pure-Java decoder is used where it is absent. */
    interface TurboJpeg {
        @WithDefault("true")
        boolean enabled();

        /** Library name or path; {@code turbojpeg}, then {@code libturbojpeg.so.0}, when unset. */
        Optional<String> library();
    }
}
