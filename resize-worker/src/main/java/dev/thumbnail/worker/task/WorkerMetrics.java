package dev.thumbnail.worker.task;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.thumbnail.worker.pipeline.ThumbnailPipeline;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The worker's Prometheus metrics (names as scraped from {@code /q/metrics}):
 * <ul>
 * <li>{@code thumbnail_worker_tasks_total{status,code,format}}: tasks finished, by outcome</li>
 * <li>{@code thumbnail_worker_stage_seconds{stage,format}}: decode, resize and encode time</li>
 * <li>{@code thumbnail_worker_processing_seconds{status}}: whole task, read to event sent</li>
 * <li>{@code thumbnail_worker_bytes_in_bytes} / {@code thumbnail_worker_bytes_out_bytes}: originals read, thumbnails
 * written</li>
 * <li>{@code thumbnail_worker_in_flight}: images being processed now</li>
 * </ul>
 * Consumer lag comes from the Kafka client's own metrics ({@code kafka_consumer_fetch_manager_records_lag_max}).
 */
@ApplicationScoped
public class WorkerMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary bytesIn;
    private final DistributionSummary bytesOut;
    // Made once per tag combination and kept: building a meter per task costs more than recording to it.
    private final Map<String, Counter> tasks = new ConcurrentHashMap<>();
    private final Map<String, Timer> processing = new ConcurrentHashMap<>();
    private final Map<String, Timer> stages = new ConcurrentHashMap<>();
    private final Map<String, Counter> resent = new ConcurrentHashMap<>();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.bytesIn = DistributionSummary.builder("thumbnail.worker.bytes.in").baseUnit("bytes")
                .description("Size of the originals processed").register(registry);
        this.bytesOut = DistributionSummary.builder("thumbnail.worker.bytes.out").baseUnit("bytes")
                .description("Size of the thumbnails written").register(registry);
    }

    void inFlight(Supplier<Number> images) {
        // A strong reference: MeterRegistry.gauge keeps only a weak one, and nothing else holds this supplier, so the
        // gauge went blank after the first full collection (found by trying the README's metrics as a new user).
        Gauge.builder("thumbnail.worker.in.flight", images, supplier -> supplier.get().doubleValue())
                .description("Tasks this worker is processing now").strongReference(true).register(registry);
    }

    void succeeded(ThumbnailPipeline.Result result, long originalBytes, long nanos) {
        String format = result.sourceFormat().name();
        stage("decode", format, result.timings().decodeNanos());
        stage("resize", format, result.timings().resizeNanos());
        stage("encode", format, result.timings().encodeNanos());
        bytesIn.record(originalBytes);
        bytesOut.record(result.bytes().length);
        finished("SUCCESS", "", format, nanos);
    }

    void failed(String code, String format, long nanos) {
        finished("FAILURE", code, format, nanos);
    }

    /**
     * A take that failed with {@code code} where the bucket held the task's thumbnail already: its SUCCESS was sent
     * instead (the take itself is counted as the FAILURE it was, in {@code thumbnail.worker.tasks}).
     */
    void resent(String code) {
        resent.computeIfAbsent(code, key -> Counter.builder("thumbnail.worker.stored.success.resent")
                .description("Failed takes that sent the SUCCESS of a thumbnail an earlier take stored")
                .tags("code", key).register(registry)).increment();
    }

    private void finished(String status, String code, String format, long nanos) {
        tasks.computeIfAbsent(status + "/" + code + "/" + format, key -> Counter.builder("thumbnail.worker.tasks")
                .description("Tasks finished by this worker").tags("status", status, "code", code, "format", format)
                .register(registry)).increment();
        processing.computeIfAbsent(status, key -> Timer.builder("thumbnail.worker.processing")
                .description("Whole task, from reading the original to the event").tags("status", key)
                .register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    private void stage(String stage, String format, long nanos) {
        stages.computeIfAbsent(stage + "/" + format, key -> Timer.builder("thumbnail.worker.stage")
                .description("Time per pipeline stage").tags("stage", stage, "format", format).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
