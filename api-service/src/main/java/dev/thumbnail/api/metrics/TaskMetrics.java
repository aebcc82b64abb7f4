package dev.thumbnail.api.metrics;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.thumbnail.contracts.ResizeCompleted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The API's task metrics (names as scraped from {@code /q/metrics}):
 * <ul>
 * <li>{@code thumbnail_tasks_created_total{format}}: uploads accepted</li>
 * <li>{@code thumbnail_upload_bytes}: their sizes</li>
 * <li>{@code thumbnail_tasks_completed_total{status,code}}: outcomes folded (each task counted once)</li>
 * <li>{@code thumbnail_task_latency_seconds{status}}: upload accepted to outcome, end to end</li>
 * </ul>
 */
@ApplicationScoped
public class TaskMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary uploadBytes;

    public TaskMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.uploadBytes = DistributionSummary.builder("thumbnail.upload").baseUnit("bytes")
                .description("Size of accepted uploads").register(registry);
    }

    public void created(String format, long bytes) {
        Counter.builder("thumbnail.tasks.created").description("Uploads accepted").tag("format", format)
                .register(registry).increment();
        uploadBytes.record(bytes);
    }

    /** Called once per task, when its terminal event moved the status forward. */
    public void completed(ResizeCompleted event) {
        String code = event.error() != null && event.error().code() != null ? event.error().code() : "";
        Counter.builder("thumbnail.tasks.completed").description("Tasks finished")
                .tags("status", event.status().name(), "code", code).register(registry).increment();
        if (event.requestedAt() != null && event.finishedAt() != null) {
            Timer.builder("thumbnail.task.latency").description("Upload accepted to outcome")
                    .tag("status", event.status().name()).publishPercentileHistogram()
                    .register(registry).record(Duration.between(event.requestedAt(), event.finishedAt()));
        }
    }
}
