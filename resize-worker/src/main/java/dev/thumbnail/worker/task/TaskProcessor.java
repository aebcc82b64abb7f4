package dev.thumbnail.worker.task;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.contracts.LogFields;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.ResizeCompleted.ErrorInfo;
import dev.thumbnail.contracts.ResizeCompleted.ImageInfo;
import dev.thumbnail.contracts.ResizeCompleted.ThumbnailInfo;
import dev.thumbnail.contracts.ResizeRequested;
import dev.thumbnail.contracts.TaskStatus;
import dev.thumbnail.imagemeta.CorruptImageException;
import dev.thumbnail.imagemeta.ImageFormat;
import dev.thumbnail.imagemeta.ImageHeader;
import dev.thumbnail.imagemeta.ImageHeaders;
import dev.thumbnail.imagemeta.UnsupportedImageException;
import dev.thumbnail.service.image.ImageLimitSettings;
import dev.thumbnail.worker.config.WorkerConfig;
import dev.thumbnail.worker.pipeline.BeforeDecode;
import dev.thumbnail.worker.pipeline.Deadline;
import dev.thumbnail.worker.pipeline.Original;
import dev.thumbnail.worker.pipeline.PipelineException;
import dev.thumbnail.worker.pipeline.ThumbnailPipeline;
import dev.thumbnail.storage.Bucket;
import dev.thumbnail.storage.StorageException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import org.jboss.logging.MDC;

/**
 * One task, start to end, on the calling thread (one per processing slot): read the original, run the pipeline
 * (announcing STARTED if it takes a while), store the thumbnail, announce SUCCESS or FAILURE. Every outcome, a bad
 * image included, ends in a completion event; nothing a client uploads can take the worker down. The one exception
 * is a task abandoned because the worker is stopping: it ends in no event, and its request is redelivered. Created at
 * start-up, so that the log says at once which JPEG codec is in use.
 */
@ApplicationScoped
@Startup
public class TaskProcessor {

    /**
     * How long looking for a thumbnail already stored may take ({@link #thumbnailAlreadyStored}); past it, the FAILURE
     * is sent as it is. Part of a request's longest run (the consumer's {@code max.poll.interval.ms}).
     */
    public static final Duration EARLIER_TAKE_LOOKUP = Duration.ofSeconds(5);
    /**
     * The failures a later take of the same request can meet where an earlier one succeeded: the load, the crash
     * guard's count of takes, the heap, the bucket. Not {@code CORRUPT_IMAGE} or {@code UNSUPPORTED_FORMAT}, which
     * the original's bytes (never rewritten) decide.
     */
    private static final Set<String> MAY_DIFFER_BETWEEN_TAKES = Set.of(ErrorCodes.TIMEOUT, ErrorCodes.WORKER_LOST,
            ErrorCodes.INTERNAL_ERROR, ErrorCodes.IMAGE_TOO_LARGE, ErrorCodes.STORAGE_ERROR);
    /** Larger than any thumbnail (a 100x100 PNG with alpha is at most about 40 KB). */
    private static final long MAX_THUMBNAIL_BYTES = 16L * 1024 * 1024;

    /** How long a withdrawal's deletes are tried, transient failures included. */
    private static final Duration WITHDRAWAL_TIMEOUT = Duration.ofSeconds(10);

    private final ThumbnailPipeline pipeline;
    private final Bucket bucket;
    private final Completions completions;
    private final WorkerMetrics metrics;
    private final String workerId;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Duration timeout;
    private final Duration sendTimeout;
    private final StartedAnnouncer startedAnnouncer;
    private final Duration storagePatience;

    public TaskProcessor(WorkerConfig config, ImageLimitSettings limits, Bucket bucket, Completions completions,
            WorkerMetrics metrics) {
        int concurrency = Math.max(1, config.worker().concurrency());
        long decodedWhole = ThumbnailPipeline.decodedWholeLimit(limits.maxDecodedWholePixels(),
                Runtime.getRuntime().maxMemory(), concurrency);
        if (decodedWhole < limits.maxDecodedWholePixels()) {
            Log.warnf("thumbnail.image.max-decoded-whole-pixels is %d, but %d images of that size at once do not fit "
                    + "in this worker's heap: it refuses those over %d pixels (IMAGE_TOO_LARGE); give it more heap or "
                    + "lower the concurrency", limits.maxDecodedWholePixels(), concurrency, decodedWhole);
        }
        this.pipeline = ThumbnailPipeline.create(config.image().pipeline(limits.maxPixels(), decodedWhole));
        this.timeout = config.image().timeout();
        this.startedAnnouncer = new StartedAnnouncer(config.worker().startedDelay());
        this.storagePatience = config.worker().storagePatience();
        this.sendTimeout = config.worker().sendTimeout();
        this.bucket = bucket;
        this.completions = completions;
        this.metrics = metrics;
        this.workerId = config.worker().id().orElseGet(TaskProcessor::defaultWorkerId);
        metrics.inFlight(inFlight::get);
        Log.infof("worker %s processes up to %d images at once", workerId, concurrency);
    }

    @PreDestroy
    void stop() {
        startedAnnouncer.close();
    }

    /**
     * Blocking: makes the thumbnail and returns once the broker has its outcome. {@code beforeDecode} is asked once the
     * image's header has passed the limits; its {@link PipelineException} fails the task with its code.
     *
     * @return true when the task is done (its request may be committed); false when it was abandoned because
     *     {@code cancellation} fired first: no outcome was sent, the request must be redelivered
     */
    public boolean process(ResizeRequested request, Cancellation cancellation, BeforeDecode beforeDecode) {
        inFlight.incrementAndGet();
        MDC.put(LogFields.TASK_ID, request.taskId());
        try {
            // The header of this take's image, once it passed the limits (before the crash guard's check).
            ImageHeader[] header = new ImageHeader[1];
            ResizeCompleted outcome = run(request, cancellation, seen -> {
                header[0] = seen;
                beforeDecode.check(seen);
            });
            if (outcome != null && outcome.status() == TaskStatus.FAILURE && header[0] != null
                    && MAY_DIFFER_BETWEEN_TAKES.contains(outcome.error().code())) {
                outcome = thumbnailAlreadyStored(request, header[0], outcome, cancellation);
            }
            if (outcome == null) {
                Log.infof("task %s: handed back, the worker is stopping", request.taskId());
                return false;
            }
            outcome = outcome.withRequestedAt(request.requestedAt());
            if (!publish(outcome, cancellation)) {
                Log.infof("task %s: %s not sent before the worker stopped; handed back", request.taskId(),
                        outcome.status());
                return false;
            }
            // %s, not %d: a number through printf's %d is localised, a new DecimalFormatSymbols per line.
            Log.infof("task %s: %s in %s ms", request.taskId(), outcome.status(),
                    outcome.finishedAt().toEpochMilli() - outcome.startedAt().toEpochMilli());
            return true;
        } finally {
            MDC.remove(LogFields.TASK_ID);
            inFlight.decrementAndGet();
        }
    }

    /**
     * A request for {@code taskId} that this worker cannot read (a newer API's field value, say a target mode this
     * version does not know): the task fails with {@link ErrorCodes#INTERNAL_ERROR} rather than stay PENDING until
     * the retention, its partition goes on. The cause is logged under the task id.
     *
     * @return false when {@code cancellation} fired before the broker had the outcome: the request must be redelivered
     */
    public boolean refuse(String taskId, Throwable cause, Cancellation cancellation) {
        MDC.put(LogFields.TASK_ID, taskId);
        try {
            Log.warnf("task %s: this worker cannot read its request", taskId);
            return publish(failed(taskId, null, ErrorCodes.INTERNAL_ERROR, cause, Instant.now(), System.nanoTime(),
                    "UNKNOWN"), cancellation);
        } finally {
            MDC.remove(LogFields.TASK_ID);
        }
    }

    /**
     * A request the API withdrew (a tombstone: it answered 503 because the broker did not acknowledge in time, yet the
     * request may have reached the log and been made already, by this or another worker, before the API deleted the
     * original). Deletes what such a task may have left: its thumbnail in either format and its original, so that a
     * refused upload leaves nothing behind. Idempotent; a storage failure is logged only (the retention sweep removes
     * what is left). The tombstone follows its request on the same partition, so the request was handled first.
     *
     * @return false when {@code cancellation} fired first: the tombstone must be redelivered
     */
    public boolean withdraw(String taskId, Cancellation cancellation) {
        MDC.put(LogFields.TASK_ID, taskId);
        try {
            Deadline deadline = Deadline.after(WITHDRAWAL_TIMEOUT, cancellation::cancelled);
            for (String key : List.of(BlobKeys.thumbnail(taskId, "JPEG"), BlobKeys.thumbnail(taskId, "PNG"),
                    BlobKeys.original(taskId))) {
                retrying(deadline, cancellation, "delete " + key, () -> {
                    bucket.within(deadline.remaining()).delete(key);
                    return null;
                });
            }
            Log.infof("task %s: withdrawn by the API (its upload was refused); anything it left is deleted", taskId);
            return true;
        } catch (StorageException e) {
            if (cancellation.cancelled()) {
                return false;
            }
            Log.warnf("task %s: withdrawn by the API, but what it left could not be deleted (the retention sweep "
                    + "will): %s", taskId, e.getMessage());
            return true;
        } finally {
            MDC.remove(LogFields.TASK_ID);
        }
    }

    /** The outcome, or null when the task was abandoned for {@code cancellation}. */
    private ResizeCompleted run(ResizeRequested request, Cancellation cancellation, BeforeDecode beforeDecode) {
        String taskId = request.taskId();
        Instant startedAt = Instant.now();
        long start = System.nanoTime();
        Deadline reading = Deadline.after(storagePatience, cancellation::cancelled);
        Original original;
        try {
            Optional<Original> read = retrying(reading, cancellation, "read the original",
                    () -> bucket.within(shorter(reading.remaining(), timeout)).read(request.originalKey(),
                            (channel, size) -> Original.read(channel, size, pipeline.originals())));
            if (read.isEmpty()) {
                // Gone: expired, deleted, or never kept (an upload refused after its request left). Permanent, and
                // the task's own fate, not the worker's: one line, no stack trace.
                Log.infof("task %s: %s: no original at %s (expired, deleted, or the upload was refused)", taskId,
                        ErrorCodes.STORAGE_ERROR, request.originalKey());
                return failed(taskId, null, ErrorCodes.STORAGE_ERROR, null, startedAt, start, "UNKNOWN");
            }
            original = read.get();
        } catch (StorageException e) {
            if (cancellation.cancelled()) {
                return null;
            }
            return failed(taskId, null, ErrorCodes.STORAGE_ERROR, e, startedAt, start, "UNKNOWN");
        } catch (RuntimeException | Error e) {
            // Whatever else: this task's outcome, never the end of the consumer that runs it.
            return failed(taskId, null, ErrorCodes.INTERNAL_ERROR, e, startedAt, start, "UNKNOWN");
        }
        // The image work's own deadline starts once the original is here, however long the bucket kept it.
        Deadline deadline = Deadline.after(timeout, cancellation::cancelled);
        try (original; StartedAnnouncer.Watch startedWatch = announceStarted(request, startedAt)) {
            ThumbnailPipeline.Result result = pipeline.run(original, request.target().width(),
                    request.target().height(), deadline, beforeDecode);
            ImageInfo source = new ImageInfo(request.originalKey(), result.sourceWidth(), result.sourceHeight(),
                    result.sourceFormat().name());
            String thumbnailKey = BlobKeys.thumbnail(taskId, result.format().name());
            Deadline writing = Deadline.after(storagePatience, cancellation::cancelled);
            try {
                retrying(writing, cancellation, "store the thumbnail", () -> {
                    bucket.within(shorter(writing.remaining(), timeout)).put(thumbnailKey, result.bytes(),
                            result.format().mediaType());
                    return null;
                });
            } catch (StorageException e) {
                if (cancellation.cancelled()) {
                    return null;
                }
                return failed(taskId, source, ErrorCodes.STORAGE_ERROR, e, startedAt, start,
                        result.sourceFormat().name());
            }
            metrics.succeeded(result, request.sizeBytes(), System.nanoTime() - start);
            return ResizeCompleted.success(taskId, source, new ThumbnailInfo(thumbnailKey, result.width(),
                    result.height(), result.format().name(), result.bytes().length), workerId, startedAt,
                    Instant.now());
        } catch (PipelineException e) {
            if (cancellation.cancelled()) {
                return null;
            }
            return failed(taskId, null, e.code(), e, startedAt, start, "UNKNOWN");
        } catch (OutOfMemoryError e) {
            return failed(taskId, null, ErrorCodes.IMAGE_TOO_LARGE, e, startedAt, start, "UNKNOWN");
        } catch (RuntimeException | Error e) {
            // Whatever else a decoder throws on a hostile file is this task's outcome: a stack overflow from one that
            // recurses, a LinkageError or InternalError from a plugin or a native library that failed on it, an
            // assertion. Let through, it would end the consumer's thread, and the redelivered request the next one's.
            // (A JVM out of heap exits instead, -XX:+ExitOnOutOfMemoryError; the crash guard counts those ends.)
            return failed(taskId, null, ErrorCodes.INTERNAL_ERROR, e, startedAt, start, "UNKNOWN");
        }
    }

    /**
     * What to send for a take that failed after its image's header was read, when the bucket may already hold the
     * task's thumbnail. A request is delivered again when its worker ended, or lost its partition, before committing
     * it (at-least-once), and the later take can fail where an earlier one succeeded (see
     * {@link #MAY_DIFFER_BETWEEN_TAKES}). The view keeps a task's first terminal outcome, but {@code resize-completions}
     * is compacted by task id: the later FAILURE would be all that a rebuild of the view finds, and the task would
     * turn FAILURE with its thumbnail in the bucket. When a thumbnail is stored, a SUCCESS describing it (read back)
     * and the original ({@code header}, this take's) is sent instead: a duplicate for the view when the earlier take
     * sent its SUCCESS, the task's outcome when that take ended between storing and sending (or when this take's own
     * write was stored although it was reported failed).
     *
     * @return that SUCCESS; {@code failure} when no thumbnail is stored, or when the bucket does not answer within
     *     {@link #EARLIER_TAKE_LOOKUP}; null when {@code cancellation} fired meanwhile (the request is handed back, so
     *     that the next take decides, rather than a FAILURE sent for want of an answer)
     */
    private ResizeCompleted thumbnailAlreadyStored(ResizeRequested request, ImageHeader header,
            ResizeCompleted failure, Cancellation cancellation) {
        String taskId = request.taskId();
        String code = failure.error().code();
        Deadline deadline = Deadline.after(EARLIER_TAKE_LOOKUP, cancellation::cancelled);
        try {
            for (ImageFormat format : List.of(ImageFormat.JPEG, ImageFormat.PNG)) {
                String key = BlobKeys.thumbnail(taskId, format.name());
                // Read whole (a short read fails) into the memory originals use, and its header parsed there.
                Optional<ThumbnailInfo> thumbnail = bucket.within(deadline.remaining()).read(key, (channel, size) -> {
                    if (size > MAX_THUMBNAIL_BYTES) {
                        throw new IOException(key + " holds " + size + " bytes, more than any thumbnail");
                    }
                    try (Original bytes = Original.read(channel, size, pipeline.originals())) {
                        ImageHeader stored = ImageHeaders.read(bytes.bytes());
                        return new ThumbnailInfo(key, stored.width(), stored.height(), stored.format().name(), size);
                    } catch (UnsupportedImageException | CorruptImageException e) {
                        throw new IOException(key + " is not a thumbnail this worker wrote: " + e.getMessage(), e);
                    }
                });
                if (thumbnail.isEmpty()) {
                    continue;
                }
                Log.infof("task %s: %s on this take, but the bucket holds its thumbnail (an earlier take of the same "
                        + "request stored it): SUCCESS sent for that thumbnail instead", taskId, code);
                metrics.resent(code);
                return ResizeCompleted.success(taskId,
                        new ImageInfo(request.originalKey(), header.displayWidth(), header.displayHeight(),
                                header.format().name()),
                        thumbnail.get(), workerId, failure.startedAt(), Instant.now());
            }
            return failure;
        } catch (StorageException | RuntimeException | Error e) {
            if (cancellation.cancelled()) {
                return null;
            }
            Log.warnf("task %s: %s on this take; whether the bucket holds its thumbnail could not be read, the "
                    + "FAILURE is sent as it is: %s", taskId, code, e.getMessage());
            return failure;
        }
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private interface StorageCall<T> {
        T call() throws StorageException;
    }

    /**
     * Runs a storage operation, trying a transient failure again (100 ms, doubling to 2 s) while {@code deadline} (the
     * storage patience) allows: a store that is away for a while, or a volume full or read-only for a while, does not
     * fail the task. A permanent failure, the deadline or the worker stopping ends it; no wait goes past the deadline.
     */
    private static <T> T retrying(Deadline deadline, Cancellation cancellation, String what, StorageCall<T> call)
            throws StorageException {
        long backoffMillis = 100;
        while (true) {
            try {
                return call.call();
            } catch (StorageException e) {
                long wait = Math.min(backoffMillis, deadline.remainingMillis());
                if (e.permanent() || wait <= 0) {
                    throw e;
                }
                Log.warnf("could not %s, trying again in %d ms: %s", what, wait, e.getMessage());
                if (cancellation.await(Duration.ofMillis(wait)) || deadline.expired()) {
                    throw e;
                }
                backoffMillis = Math.min(2_000, backoffMillis * 2);
            }
        }
    }

    /** STARTED, once the task has run for the configured delay; closing before then means it is never sent. */
    private StartedAnnouncer.Watch announceStarted(ResizeRequested request, Instant startedAt) {
        return startedAnnouncer.watch(() -> completions.send(ResizeCompleted.started(request.taskId(), workerId,
                startedAt).withRequestedAt(request.requestedAt())).whenComplete((ok, e) -> {
                    if (e != null) {
                        Log.warnf("task %s: STARTED event not sent: %s", request.taskId(), e.getMessage());
                    }
                }));
    }

    /**
     * A FAILURE event with the service's sentence for the code (or the pipeline's own more precise one); the cause,
     * with whatever a library said, goes to the log only.
     */
    private ResizeCompleted failed(String taskId, ImageInfo source, String code, Throwable cause, Instant startedAt,
            long start, String format) {
        String message = cause instanceof PipelineException pipelineFailure ? pipelineFailure.getMessage()
                : ErrorCodes.publicMessage(code);
        if (cause instanceof PipelineException) {
            Log.infof("task %s: %s: %s", taskId, code, describe(cause));
        } else if (cause != null) {
            Log.errorf(cause, "task %s: %s", taskId, code);
        }
        metrics.failed(code, format, System.nanoTime() - start);
        return ResizeCompleted.failure(taskId, source, new ErrorInfo(code, message), workerId, startedAt,
                Instant.now());
    }

    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
        for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
            text.append(" <- ").append(cause.getMessage());
        }
        return text.toString();
    }

    /**
     * The request is committed only after this returns true, so the outcome must reach the broker: while Kafka is
     * away the thread keeps trying (backing off from 1 s to 30 s) rather than dropping the task, until the worker
     * stops, when the task is handed back instead (false).
     */
    private boolean publish(ResizeCompleted outcome, Cancellation cancellation) {
        long backoff = 1000;
        while (true) {
            try {
                if (sent(completions.send(outcome), cancellation)) {
                    return true;
                }
                if (cancellation.cancelled()) {
                    return false;
                }
                Log.warnf("task %s: %s event not sent yet: no answer from the broker", outcome.taskId(),
                        outcome.status());
            } catch (ExecutionException e) {
                Log.warnf("task %s: %s event not sent yet: %s", outcome.taskId(), outcome.status(),
                        e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            if (cancellation.await(Duration.ofMillis(backoff))) {
                return false;
            }
            backoff = Math.min(30_000, backoff * 2);
        }
    }

    /**
     * Waits for the broker's acknowledgement, at most the send timeout (plus a margin for the producer's own clock),
     * and at most one more second once {@code cancellation} fires: a broker that is there answers within it.
     */
    private boolean sent(CompletableFuture<Void> send, Cancellation cancellation)
            throws ExecutionException, InterruptedException {
        long until = System.nanoTime() + sendTimeout.toNanos() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() - until < 0) {
            try {
                send.get(cancellation.cancelled() ? 1000 : 100, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                if (cancellation.cancelled()) {
                    return send.isDone() && !send.isCompletedExceptionally();
                }
            }
        }
        return false;
    }

    /** Fired once, when the worker stops: tasks in progress are abandoned and handed back. */
    public static final class Cancellation {
        private final CountDownLatch fired = new CountDownLatch(1);

        public void cancel() {
            fired.countDown();
        }

        public boolean cancelled() {
            return fired.getCount() == 0;
        }

        /** Waits up to {@code time}; true when cancelled meanwhile (or before). */
        public boolean await(Duration time) {
            try {
                return fired.await(time.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
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
