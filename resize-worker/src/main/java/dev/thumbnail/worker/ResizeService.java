package dev.thumbnail.worker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.ResizeCompleted.ErrorInfo;
import dev.thumbnail.contracts.ResizeCompleted.ImageInfo;
import dev.thumbnail.contracts.ResizeCompleted.ThumbnailInfo;
import dev.thumbnail.contracts.ResizeRequested;
import dev.thumbnail.contracts.TaskStatus;
import dev.thumbnail.worker.config.WorkerConfig;
import dev.thumbnail.worker.messaging.CompletionPublisher;
import dev.thumbnail.worker.pipeline.Deadline;
import dev.thumbnail.worker.pipeline.PipelineException;
import dev.thumbnail.worker.pipeline.ThumbnailPipeline;
import dev.thumbnail.worker.storage.BlobStore;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import org.jboss.logging.MDC;

/**
 * One task: announce STARTED, make the thumbnail, store it, announce SUCCESS or FAILURE. Every outcome, a bad image
 * included, ends in a completion event; nothing a client uploads can take the worker down. Created at start-up, so
 * that the log says at once which JPEG codec is in use.
 */
@ApplicationScoped
@Startup
public class ResizeService {

    private final ThumbnailPipeline pipeline;
    private final BlobStore blobs;
    private final CompletionPublisher publisher;
    private final String workerId;
    private final Semaphore slots;
    private final Duration timeout;
    private final WorkerMetrics metrics;

    /** MDC key carried by every log line about a task (in the console pattern and in JSON logs). */
    public static final String TASK_ID = "taskId";

    public ResizeService(WorkerConfig config, BlobStore blobs, CompletionPublisher publisher, WorkerMetrics metrics) {
        this.pipeline = ThumbnailPipeline.create(config.image().pipeline());
        this.timeout = config.image().timeout();
        this.blobs = blobs;
        this.publisher = publisher;
        this.workerId = config.worker().id().orElseGet(ResizeService::defaultWorkerId);
        // Decoding and resizing are CPU-bound: more of them at once than configured only adds memory pressure.
        this.slots = new Semaphore(Math.max(1, config.worker().concurrency()), true);
        this.metrics = metrics;
        int concurrency = Math.max(1, config.worker().concurrency());
        metrics.inFlight(() -> concurrency - slots.availablePermits());
        Log.infof("worker %s processes up to %d images at once", workerId, concurrency);
    }

    /** Blocking: runs on a worker thread and returns once the outcome is acknowledged by the broker. */
    public void process(ResizeRequested request) {
        slots.acquireUninterruptibly();
        try {
            processInSlot(request);
        } finally {
            slots.release();
        }
    }

    private void processInSlot(ResizeRequested request) {
        String taskId = request.taskId();
        MDC.put(TASK_ID, taskId);
        try {
            announceAndRun(request);
        } finally {
            MDC.remove(TASK_ID);
        }
    }

    private void announceAndRun(ResizeRequested request) {
        String taskId = request.taskId();
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        publisher.send(ResizeCompleted.started(taskId, workerId, startedAt).withRequestedAt(request.requestedAt()))
                .subscribe().with(
                        ok -> {
                        },
                        e -> Log.warnf("task %s: STARTED event not sent: %s", taskId, e.getMessage()));
        ResizeCompleted outcome = outcome(request, startedAt, start).withRequestedAt(request.requestedAt());
        // The request is acknowledged (its offset committed) only after this returns, so the outcome must reach the
        // broker: while Kafka is away the thread waits rather than dropping the task.
        publisher.send(outcome)
                .onFailure().invoke(e -> Log.warnf("task %s: %s event not sent yet: %s", taskId, outcome.status(),
                        e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely()
                .await().indefinitely();
        Log.infof("task %s: %s in %d ms", taskId, outcome.status(),
                outcome.finishedAt().toEpochMilli() - startedAt.toEpochMilli());
    }

    private ResizeCompleted outcome(ResizeRequested request, Instant startedAt, long start) {
        ResizeCompleted outcome = attempt(request, startedAt, start);
        if (outcome.status() == TaskStatus.FAILURE) {
            metrics.failed(outcome.error().code(),
                    outcome.original() != null ? outcome.original().format() : "UNKNOWN", System.nanoTime() - start);
        }
        return outcome;
    }

    private ResizeCompleted attempt(ResizeRequested request, Instant startedAt, long start) {
        String taskId = request.taskId();
        ImageInfo original = null;
        try {
            Path source = blobs.path(request.originalKey());
            ThumbnailPipeline.Result result = pipeline.run(source, request.target().width(),
                    request.target().height(), Deadline.after(timeout));
            original = new ImageInfo(request.originalKey(), result.sourceWidth(), result.sourceHeight(),
                    result.sourceFormat().name());
            String thumbnailKey = BlobKeys.thumbnail(taskId, result.format().name());
            blobs.write(thumbnailKey, result.bytes());
            metrics.succeeded(result, request.sizeBytes(), System.nanoTime() - start);
            return ResizeCompleted.success(taskId, original,
                    new ThumbnailInfo(thumbnailKey, result.width(), result.height(), result.format().name(),
                            result.bytes().length),
                    workerId, startedAt, Instant.now());
        } catch (PipelineException e) {
            Log.infof(e.getCause(), "task %s: %s: %s", taskId, e.code(), e.getMessage());
            return failure(taskId, original, e.code(), e.getMessage(), startedAt);
        } catch (IOException e) {
            Log.errorf(e, "task %s: storing the thumbnail failed", taskId);
            return failure(taskId, original, ErrorCodes.STORAGE_ERROR, "The thumbnail could not be stored.",
                    startedAt);
        } catch (OutOfMemoryError e) {
            Log.errorf(e, "task %s: out of memory", taskId);
            return failure(taskId, original, ErrorCodes.IMAGE_TOO_LARGE,
                    "The image needs more memory than this worker has.", startedAt);
        } catch (RuntimeException e) {
            Log.errorf(e, "task %s: unexpected failure", taskId);
            return failure(taskId, original, ErrorCodes.INTERNAL_ERROR,
                    "The thumbnail could not be made; the error has been logged.", startedAt);
        }
    }

    private ResizeCompleted failure(String taskId, ImageInfo original, String code, String message,
            Instant startedAt) {
        return ResizeCompleted.failure(taskId, original, new ErrorInfo(code, message), workerId, startedAt,
                Instant.now());
    }

    private static String defaultWorkerId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = "worker";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
