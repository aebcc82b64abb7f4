package dev.thumbnail.api.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * <li>{@code thumbnail_events_unknown_task_total}: completion events for a task the view does not hold (a refused
 * upload's, or while the view is rebuilt)</li>
 * </ul>
 * Meters are made once per tag combination and kept: building one per event costs more than the event's fold.
 */
@ApplicationScoped
public class TaskMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary uploadBytes;
    private final Counter unknownTask;
    private final Counter processedAgain;
    private final Map<String, Counter> created = new ConcurrentHashMap<>();
    private final Map<String, Counter> completed = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();

    public TaskMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.uploadBytes = DistributionSummary.builder("thumbnail.upload").baseUnit("bytes")
                .description("Size of accepted uploads").register(registry);
        this.unknownTask = Counter.builder("thumbnail.events.unknown.task")
                .description("Completion events for a task the view does not hold").register(registry);
        this.processedAgain = Counter.builder("thumbnail.tasks.processed.again")
                .description("Terminal outcomes for a task that already had one: the task made again after a "
                        + "redelivery (a worker that died or lost its partitions before committing), or the same "
                        + "outcome delivered twice; harmless either way: the same thumbnail at the same key, and the "
                        + "first outcome stands")
                .register(registry);
    }

    public void created(String format, long bytes) {
        created.computeIfAbsent(format, key -> Counter.builder("thumbnail.tasks.created")
                .description("Uploads accepted").tag("format", key).register(registry)).increment();
        uploadBytes.record(bytes);
    }

    /** Called once per task, when its terminal event moved the status forward. */
    public void completed(ResizeCompleted event) {
        String status = event.status().name();
        String code = event.error() != null && event.error().code() != null ? event.error().code() : "";
        completed.computeIfAbsent(status + "/" + code, key -> Counter.builder("thumbnail.tasks.completed")
                .description("Tasks finished").tags("status", status, "code", code).register(registry)).increment();
        if (event.requestedAt() != null && event.finishedAt() != null) {
            latency.computeIfAbsent(status, key -> Timer.builder("thumbnail.task.latency")
                    .description("Upload accepted to outcome").tag("status", key).publishPercentileHistogram()
                    .register(registry)).record(Duration.between(event.requestedAt(), event.finishedAt()));
        }
    }

    public void unknownTask() {
        unknownTask.increment();
    }

    public void processedAgain() {
        processedAgain.increment();
    }
}
