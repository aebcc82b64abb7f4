package dev.thumbnail.worker.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import dev.thumbnail.service.image.ImageLimitSettings;
import dev.thumbnail.worker.pipeline.PipelineSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The worker's settings as they are when nothing is configured: {@link WorkerConfig}'s own defaults, with the
 * service's application.properties (which holds the few that Quarkus reads before the mapping).
 */
public final class DefaultSettings {

    private static final SmallRyeConfig CONFIG = load();

    private DefaultSettings() {
    }

    /** The pipeline the worker runs by default: 50 MP, quality 85, the source's format, libjpeg-turbo where installed. */
    public static PipelineSettings pipeline() {
        ImageLimitSettings limits = CONFIG.getConfigMapping(ImageLimitSettings.class);
        return CONFIG.getConfigMapping(WorkerConfig.class).image()
                .pipeline(limits.maxPixels(), limits.maxDecodedWholePixels());
    }

    private static SmallRyeConfig load() {
        try {
            return new SmallRyeConfigBuilder()
                    .withMapping(WorkerConfig.class)
                    .withMapping(ImageLimitSettings.class)
                    // Quarkus' duration syntax (30s, 100ms), as the service reads it.
                    .withConverter(Duration.class, 100, new DurationConverter())
                    .withSources(new PropertiesConfigSource(
                            DefaultSettings.class.getResource("/application.properties"), 100))
                    // The one setting whose default is computed at start (WorkerDefaults: the core count).
                    .withDefaultValue("thumbnail.worker.concurrency", "1")
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
