package dev.thumbnail.api.task;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import dev.thumbnail.api.auth.Caller;
import dev.thumbnail.api.config.ApiConfig;
import dev.thumbnail.api.error.ApiException;
import dev.thumbnail.api.metrics.TaskMetrics;
import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.contracts.LogFields;
import dev.thumbnail.contracts.ResizeRequested;
import dev.thumbnail.contracts.TaskStatus;
import dev.thumbnail.imagemeta.CorruptImageException;
import dev.thumbnail.imagemeta.ImageFormat;
import dev.thumbnail.imagemeta.ImageHeader;
import dev.thumbnail.imagemeta.ImageHeaders;
import dev.thumbnail.imagemeta.ImageLimits;
import dev.thumbnail.imagemeta.UnsupportedImageException;
import dev.thumbnail.service.image.ImageLimitSettings;
import dev.thumbnail.storage.Bucket;
import dev.thumbnail.storage.StorageException;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.MDC;

/**
 * Accepting an upload: read it, check it, store it (claim check), record it as PENDING, hand it to the workers. When a
 * step fails the earlier ones are undone, so a failed request leaves neither an orphaned blob nor a PENDING task that
 * will never run; and reading a task back for its owner.
 */
@ApplicationScoped
public class TaskService {

    /** The longest a call to the status store (Redis) may take before the request is answered 503. */
    public static final Duration STORE_TIMEOUT = Duration.ofSeconds(5);
    /** Tries of a rollback in the background before it is left to the retention. */
    private static final int DISCARD_ATTEMPTS = 10;

    private final Bucket bucket;
    private final TaskStore store;
    private final ResizeRequestPublisher publisher;
    private final TaskEvents events;
    private final ApiConfig config;
    private final TaskMetrics metrics;
    private final ViewRebuilder view;
    private final ImageLimitSettings limits;

    public TaskService(Bucket bucket, TaskStore store, ResizeRequestPublisher publisher, TaskEvents events,
            ApiConfig config, TaskMetrics metrics, ViewRebuilder view, ImageLimitSettings limits) {
        this.view = view;
        this.limits = limits;
        this.bucket = bucket;
        this.store = store;
        this.publisher = publisher;
        this.events = events;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Blocking: runs on a worker thread while the body arrives. Returns the new task id.
     *
     * @param body        the request body, a {@code multipart/form-data} form with the image in {@code image_data}
     * @param contentType the request's Content-Type, which holds the form's boundary
     * @param contentLength the request's Content-Length in bytes, or -1 when it is not known (chunked)
     * @throws ApiException 400, 413, 415, 429 or 503, as documented on {@code POST /create}
     */
    public String create(InputStream body, String contentType, long contentLength, Caller caller) {
        UploadReader.Upload upload = receive(body, contentType, contentLength);
        // Bucket.put takes the staged file (moves or deletes it). Deleting a file already gone costs a failed lookup
        // and the JDK's exception for it: 8% of an upload's CPU (a profile under load, 2026-12-03).
        boolean stored = false;
        try {
            ImageFormat format = inspect(upload).format();
            String taskId = UUID.randomUUID().toString();
            MDC.put(LogFields.TASK_ID, taskId);
            try {
                String originalKey = BlobKeys.original(taskId);
                long size = storeOriginal(originalKey, upload.file());
                stored = true;
                return accept(upload, format, taskId, originalKey, size, caller.owner());
            } finally {
                MDC.remove(LogFields.TASK_ID);
            }
        } finally {
            if (!stored) {
                deleteQuietly(upload.file());
            }
        }
    }

    private UploadReader.Upload receive(InputStream body, String contentType, long contentLength) {
        Path staging;
        try {
            staging = bucket.stagingDir().resolve(UUID.randomUUID() + ".upload");
        } catch (IOException e) {
            throw ApiException.unavailable("The upload could not be stored; try again later.", e);
        }
        try {
            return UploadReader.read(body, contentType, config.upload().maxBytes().asLongValue(), contentLength,
                    staging, config.upload().timeout());
        } catch (UploadReader.UploadException e) {
            throw switch (e.kind) {
                case NOT_MULTIPART -> ApiException.unsupportedMediaType("UNSUPPORTED_MEDIA_TYPE",
                        "The request body must be multipart/form-data with the image in the field 'image_data'.");
                // The reader's reasons are its own words (no class names, no bytes of the body).
                case MALFORMED -> ApiException.badRequest("MALFORMED_MULTIPART",
                        "The multipart/form-data body is malformed: " + e.getMessage() + ".");
                case NO_IMAGE -> missingImage();
                case TOO_LARGE -> ApiException.payloadTooLarge(config.upload().maxBytes().asLongValue());
                case TIMED_OUT -> ApiException.uploadTimeout(config.upload().timeout());
            };
        } catch (UploadReader.StagingException e) {
            throw ApiException.unavailable("The upload could not be stored; try again later.", e);
        } catch (IOException e) {
            // The client's side: the connection ended, or stalled, before the body did.
            throw ApiException.badRequest("UPLOAD_INTERRUPTED", "The upload ended before its body was complete.");
        }
    }

    /** The staged upload into the bucket under {@code key}; returns its size in bytes. */
    private long storeOriginal(String key, Path staged) {
        try {
            return bucket.put(key, staged);
        } catch (StorageException e) {
            throw ApiException.unavailable("The upload could not be stored; try again later.", e);
        }
    }

    private String accept(UploadReader.Upload upload, ImageFormat format, String taskId, String originalKey,
            long size, String owner) {
        NewTask task = new NewTask(taskId, owner, Filenames.sanitise(upload.filename()), format.mediaType(), size,
                originalKey, Instant.now());
        int maxPending = config.upload().maxPendingPerKey();
        TaskStore.Created created;
        try {
            created = store.create(task, maxPending).await().atMost(STORE_TIMEOUT);
        } catch (RuntimeException e) {
            // The script may have run with only its answer late or lost (Redis paused, a connection that died
            // without a reset), or may still arrive (a partition: the connection given up, its bytes in flight):
            // take back the entry and the owner's pending slot too, or they would stay PENDING for a task that never
            // runs, the slot counted for as long as the key keeps uploading. The rollback is a no-op when nothing was
            // made and stops a create that comes after it. Not awaited: Redis is what is failing, and the client is
            // answered now.
            discardInBackground(task);
            deleteQuietly(originalKey);
            throw ApiException.unavailable("The status store is unavailable; try again later.", e);
        }
        if (created == TaskStore.Created.TOO_MANY_PENDING) {
            deleteQuietly(originalKey);
            throw ApiException.tooManyPending(maxPending);
        }
        try {
            publisher.publish(request(task));
        } catch (ResizeRequestPublisher.QueueUnavailableException e) {
            discard(task);
            throw ApiException.unavailable("The task queue is unavailable; try again later.", e);
        }
        metrics.created(format.name(), task.sizeBytes());
        // %s, not %d: a number through printf's %d is localised, a new DecimalFormatSymbols per line.
        Log.infof("task %s accepted: %s, %s bytes", taskId, format, task.sizeBytes());
        return taskId;
    }

    /**
     * A task the caller may read, once it is terminal when {@code wait} is positive (or when that time has passed).
     * Another key's task is reported exactly like an unknown one, so task ids cannot be probed across keys.
     */
    public Uni<TaskRecord> status(String taskId, Caller caller, Duration wait) {
        Uni<TaskRecord> current = find(taskId, caller).map(found -> found.orElseThrow(() -> notFound()));
        if (wait.isZero()) {
            return current;
        }
        // The wait's last read comes after the wait: bounded like any other, and a failure there is a 503 too.
        return storeCall(current.chain(task -> task.status().isTerminal() ? Uni.createFrom().item(task)
                : events.draining() ? Uni.createFrom().failure(TaskEvents.stopping())
                : events.awaitTerminal(task, wait, caller)), wait.plus(STORE_TIMEOUT));
    }

    /**
     * {@code call} to the status store, ending within {@code within}: a store that does not answer in time (Redis
     * paused, or a connection gone silent, which RedisLink gives up only after twice this deadline) or fails
     * is a 503 with Retry-After, as the other faults of a part are; problems of the request itself pass as they are.
     */
    public static <T> Uni<T> storeCall(Uni<T> call, Duration within) {
        return call.ifNoItem().after(within).failWith(() -> new TimeoutException(
                        "the status store did not answer within " + within.toMillis() + " ms"))
                .onFailure(e -> !(e instanceof ApiException)).transform(e -> ApiException.unavailable(
                        "The status store is unavailable; try again later.", e));
    }

    /** A task the caller may read; empty when unknown, expired, malformed or another key's. */
    public Uni<Optional<TaskRecord>> find(String taskId, Caller caller) {
        if (!BlobKeys.isTaskId(taskId)) {
            return Uni.createFrom().item(Optional.empty());
        }
        Uni<Optional<TaskRecord>> read = store.find(taskId)
                .chain(found -> found.isPresent() ? Uni.createFrom().item(found)
                        : view.mayBeIncomplete().map(incomplete -> {
                            if (incomplete) {
                                // Perhaps a task not restored yet: not "no such task" while the view is incomplete.
                                throw ApiException.unavailable("The task view is being rebuilt; try again shortly.",
                                        null);
                            }
                            return found;
                        }))
                .map(found -> found.filter(task -> caller.mayRead(task.owner())));
        return storeCall(read, STORE_TIMEOUT);
    }

    /**
     * A finished task's thumbnail the caller may read: its key and media type, from the status view alone (a
     * conditional GET is answered without touching the bucket).
     *
     * @throws ApiException 404 {@code TASK_NOT_FOUND} for an unknown task or another key's, 404
     *     {@link #THUMBNAIL_NOT_READY} while the task is PENDING or STARTED, 404 {@link #NO_THUMBNAIL} when it failed
     */
    public Uni<Thumbnail> thumbnail(String taskId, Caller caller) {
        return find(taskId, caller).map(found -> {
            TaskRecord task = found.orElseThrow(TaskService::notFound);
            if (task.status() == TaskStatus.FAILURE) {
                throw ApiException.notFound(NO_THUMBNAIL, "The task failed, so it has no thumbnail; its status says why.");
            }
            if (task.status() != TaskStatus.SUCCESS) {
                throw ApiException.notFound(THUMBNAIL_NOT_READY,
                        "The task has not finished yet; its thumbnail is not ready.");
            }
            return task.get(TaskRecord.THUMBNAIL_KEY).map(key -> new Thumbnail(taskId, key, mediaType(task)))
                    .orElseThrow(TaskService::thumbnailGone);
        });
    }

    /** The thumbnail's bytes; empty when it is no longer kept. Blocking: one request to the bucket. */
    public Optional<Bucket.Download> open(Thumbnail thumbnail) {
        try {
            return bucket.open(thumbnail.key());
        } catch (StorageException e) {
            throw ApiException.unavailable("The storage is unavailable; try again later.", e);
        }
    }

    public record Thumbnail(String taskId, String key, String mediaType) {
    }

    /** A thumbnail asked for before its task has finished. */
    public static final String THUMBNAIL_NOT_READY = "THUMBNAIL_NOT_READY";
    /** A thumbnail asked for of a task that failed, or one no longer kept. */
    public static final String NO_THUMBNAIL = "NO_THUMBNAIL";

    /** An unknown task, a malformed id, or another key's task (which is not told apart from an unknown one). */
    public static ApiException notFound() {
        return ApiException.notFound("TASK_NOT_FOUND", "No task with this id.");
    }

    /** A task that succeeded but whose thumbnail is no longer in the bucket. */
    public static ApiException thumbnailGone() {
        return ApiException.notFound(NO_THUMBNAIL, "This task's thumbnail is no longer kept.");
    }

    private void discard(NewTask task) {
        try {
            store.discard(task).await().atMost(STORE_TIMEOUT);
        } catch (RuntimeException e) {
            // Redis went away too: go on trying after the answer.
            Log.warnf("task %s: could not remove the PENDING entry of a task that was not queued yet, trying again: "
                    + "%s", task.taskId(), e.getMessage());
            discardInBackground(task);
        }
        deleteQuietly(task.originalKey());
    }

    /**
     * Rolls back a refused task after the client has its answer, trying again while Redis does not answer (1 s, then
     * doubling up to 30 s, {@link #DISCARD_ATTEMPTS} times: about three minutes); past that the entry and the owner's
     * count expire with the retention.
     */
    private void discardInBackground(NewTask task) {
        store.discard(task)
                .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).atMost(DISCARD_ATTEMPTS)
                .subscribe().with(ignored -> Log.debugf("task %s: rolled back", task.taskId()),
                        failure -> Log.warnf("task %s: a PENDING entry may be left for an upload that was refused (it "
                                + "expires with the retention): %s", task.taskId(), failure.getMessage()));
    }

    private void deleteQuietly(String key) {
        try {
            bucket.delete(key);
        } catch (StorageException e) {
            // Unreferenced: the sweeper or the bucket's lifecycle rule removes it with the retention.
            Log.warnf("could not delete %s: %s", key, e.getMessage());
        }
    }

    private static String mediaType(TaskRecord task) {
        return task.get(TaskRecord.THUMBNAIL_FORMAT)
                .map(format -> ImageFormat.valueOf(format).mediaType())
                .orElse("application/octet-stream");
    }

    private ResizeRequested request(NewTask task) {
        return new ResizeRequested(ResizeRequested.CURRENT_VERSION, task.taskId(), task.owner(), task.originalKey(),
                task.filename(), task.contentType(), task.sizeBytes(),
                new ResizeRequested.Target(config.target().width(), config.target().height(),
                        ResizeRequested.Mode.FIT),
                task.createdAt());
    }

    /**
     * Decides from the file's own bytes, before anything is stored or queued: magic bytes for the format (415 for
     * anything else), the header for the size (413 above the pixel limit, animation frames counted; 400 when the
     * header is broken). The header is read from the bytes kept in memory while the upload arrived; one that goes on
     * past them (a GIF's frames, a TIFF's last directory) from the staged file, mapped, never copied into the heap.
     */
    private ImageHeader inspect(UploadReader.Upload upload) {
        if (upload.size() == 0) {
            throw ApiException.badRequest("MISSING_IMAGE", "The form field 'image_data' is empty.");
        }
        try {
            ImageHeader header = ImageHeaders.read(upload.head(), upload.size(), () -> ImageHeaders.map(upload.file()));
            ImageLimits.check(header, limits.maxPixels(), limits.maxDecodedWholePixels());
            return header;
        } catch (ImageLimits.TooLargeException e) {
            throw ApiException.imageTooLarge(e.getMessage());
        } catch (UnsupportedImageException e) {
            throw ApiException.unsupportedFormat("The upload is not an image in a supported format (JPEG, PNG, GIF, "
                    + "BMP, WebP, TIFF).");
        } catch (CorruptImageException e) {
            throw ApiException.badRequest(ErrorCodes.CORRUPT_IMAGE, "The image header is corrupt: " + e.getMessage()
                    + ".");
        } catch (IOException e) {
            throw ApiException.unavailable("The upload could not be read; try again.", e);
        }
    }

    private static ApiException missingImage() {
        return ApiException.badRequest("MISSING_IMAGE", "The form field 'image_data' with an image file is required.");
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            Log.debugf("could not delete the staged upload %s: %s", file, e.getMessage());
        }
    }
}
