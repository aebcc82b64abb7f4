package dev.thumbnail.api.task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.thumbnail.api.auth.Caller;
import dev.thumbnail.api.config.ApiConfig;
import dev.thumbnail.api.error.ApiException;
import dev.thumbnail.api.metrics.TaskMetrics;
import dev.thumbnail.api.storage.BlobStore;
import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.ResizeRequested;
import dev.thumbnail.contracts.TaskStatus;
import dev.thumbnail.imagemeta.CorruptImageException;
import dev.thumbnail.imagemeta.ImageFormat;
import dev.thumbnail.imagemeta.ImageHeader;
import dev.thumbnail.imagemeta.ImageHeaders;
import dev.thumbnail.imagemeta.ImageLimits;
import dev.thumbnail.imagemeta.UnsupportedImageException;
import io.quarkus.logging.Log;
import org.jboss.logging.MDC;

/**
 * Accepting an upload: store it (claim check), record it as PENDING, hand it to the workers. When a step fails the
 * earlier ones are undone, so a failed request leaves neither an orphaned blob nor a PENDING task that will never run.
 */
@ApplicationScoped
public class TaskService {

    private final BlobStore blobs;
    private final TaskStatusCache statuses;
    private final ResizeRequestPublisher publisher;
    private final ApiConfig config;
    private final TaskMetrics metrics;

    /** MDC key carried by every log line about a task (console pattern and JSON logs). */
    public static final String TASK_ID = "taskId";

    public TaskService(BlobStore blobs, TaskStatusCache statuses, ResizeRequestPublisher publisher, ApiConfig config,
            TaskMetrics metrics) {
        this.blobs = blobs;
        this.statuses = statuses;
        this.publisher = publisher;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Blocking: runs on a worker thread. Returns the new task id. Refused with 429 when the owner already has as many
     * unfinished tasks as it may.
     */
    public String create(Path upload, String clientFilename, String owner) {
        ImageFormat format = inspect(upload).format();
        String taskId = UUID.randomUUID().toString();
        MDC.put(TASK_ID, taskId);
        try {
            return store(upload, clientFilename, owner, format, taskId);
        } finally {
            MDC.remove(TASK_ID);
        }
    }

    private String store(Path upload, String clientFilename, String owner, ImageFormat format, String taskId) {
        String originalKey = BlobKeys.original(taskId);
        NewTask task;
        try {
            long size = blobs.putFile(upload, originalKey);
            task = new NewTask(taskId, owner, Filenames.sanitise(clientFilename), format.mediaType(), size,
                    originalKey, Instant.now());
        } catch (UncheckedIOException e) {
            throw ApiException.unavailable("The upload could not be stored; try again later.", e);
        }
        int maxPending = config.upload().maxPendingPerKey();
        boolean accepted;
        try {
            accepted = statuses.createPending(task, maxPending);
        } catch (RuntimeException e) {
            blobs.delete(originalKey);
            throw ApiException.unavailable("The status store is unavailable; try again later.", e);
        }
        if (!accepted) {
            blobs.delete(originalKey);
            throw ApiException.tooManyPending(maxPending);
        }
        try {
            publisher.publish(request(task));
        } catch (RuntimeException e) {
            discard(task);
            throw ApiException.unavailable("The task queue is unavailable; try again later.", e);
        }
        metrics.created(format.name(), task.sizeBytes());
        Log.infof("task %s accepted: %s, %d bytes", taskId, format, task.sizeBytes());
        return taskId;
    }

    /**
     * A task the caller may read. Another key's task is reported exactly like an unknown one, so task ids cannot be
     * probed across keys.
     */
    public Optional<TaskRecord> find(String taskId, Caller caller) {
        if (!BlobKeys.isTaskId(taskId)) {
            return Optional.empty();
        }
        try {
            return statuses.find(taskId).filter(task -> caller.mayRead(task.owner()));
        } catch (RuntimeException e) {
            throw ApiException.unavailable("The status store is unavailable; try again later.", e);
        }
    }

    /** The thumbnail file of a finished task the caller may read, if it succeeded and its file is still kept. */
    public Optional<Thumbnail> thumbnail(String taskId, Caller caller) {
        return find(taskId, caller)
                .filter(task -> task.status() == TaskStatus.SUCCESS)
                .flatMap(task -> task.get(TaskRecord.THUMBNAIL_KEY)
                        .flatMap(blobs::find)
                        .map(path -> new Thumbnail(taskId, path, mediaType(task))));
    }

    private void discard(NewTask task) {
        try {
            statuses.discard(task);
        } catch (RuntimeException e) {
            // Redis went away too: the entry expires with the retention, and so does the owner's count.
            Log.warnf(e, "task %s: could not remove the PENDING entry of a task that was not queued", task.taskId());
        }
        blobs.delete(task.originalKey());
    }

    public record Thumbnail(String taskId, Path path, String mediaType) {
    }

    private static String mediaType(TaskRecord task) {
        return task.get(TaskRecord.THUMBNAIL_FORMAT)
                .map(format -> ImageFormat.valueOf(format).mediaType())
                .orElse("application/octet-stream");
    }

    private ResizeRequested request(NewTask task) {
        return new ResizeRequested(ResizeRequested.CURRENT_VERSION, task.taskId(), task.originalKey(),
                task.filename(), task.contentType(), task.sizeBytes(),
                new ResizeRequested.Target(config.target().width(), config.target().height(),
                        ResizeRequested.Mode.FIT),
                task.createdAt());
    }

    /**
     * Decides from the file's own bytes, before anything is stored or queued: magic bytes for the format (415 for
     * anything else), the header for the size (413 above the pixel limit, animation frames counted; 400 when the
     * header is broken). Only the header is read.
     */
    private ImageHeader inspect(Path upload) {
        try {
            if (Files.size(upload) == 0) {
                throw ApiException.badRequest("MISSING_IMAGE", "The form field 'image_data' is empty.");
            }
            ImageHeader header = ImageHeaders.read(upload);
            ImageLimits.check(header, config.image().maxPixels());
            return header;
        } catch (ImageLimits.TooLargeException e) {
            throw ApiException.imageTooLarge(e.getMessage());
        } catch (UnsupportedImageException e) {
            throw ApiException.unsupportedMediaType("UNSUPPORTED_FORMAT", "The upload is not an image in a supported "
                    + "format (JPEG, PNG, GIF, BMP, WebP, TIFF).");
        } catch (CorruptImageException e) {
            throw ApiException.badRequest("CORRUPT_IMAGE", "The image header is corrupt: " + e.getMessage() + ".");
        } catch (IOException e) {
            throw ApiException.unavailable("The upload could not be read; try again.", e);
        }
    }
}
