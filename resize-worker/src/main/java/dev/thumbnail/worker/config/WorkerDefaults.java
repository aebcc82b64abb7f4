package dev.thumbnail.worker.config;

import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Defaults that depend on the machine the worker runs on, so they cannot be written in application.properties. The
 * lowest-priority source: any property file or environment variable overrides it.
 */
public class WorkerDefaults implements ConfigSource {

    static final String CONCURRENCY = "thumbnail.worker.concurrency";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(CONCURRENCY);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(CONCURRENCY, getValue(CONCURRENCY));
    }

    @Override
    public String getValue(String propertyName) {
        // Evaluated when asked, never cached: a native image must see the cores of the machine it runs on.
        return CONCURRENCY.equals(propertyName) ? Integer.toString(Runtime.getRuntime().availableProcessors()) : null;
    }

    @Override
    public int getOrdinal() {
        return 50;
    }

    @Override
    public String getName() {
        return "worker-machine-defaults";
    }
}
