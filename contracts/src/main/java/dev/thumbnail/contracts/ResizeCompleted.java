package dev.thumbnail.contracts;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Emitted by the worker when it starts a task and when the task ends. {@code resize-completions} is compacted by task
 * id, so the latest event of a task is all that a rebuild of the view may find of it; Redis is folded from these
 * events, and keeps a task's first terminal outcome. A request can be taken more than once (at-least-once); where a
 * take stored the thumbnail, a later take that fails for a reason that can differ between takes (a timeout, the crash
 * guard) sends that thumbnail's SUCCESS rather than its FAILURE ({@code TaskProcessor.thumbnailAlreadyStored}), so
 * that both agree. Not the other order: a FAILURE followed by a later take's SUCCESS reads FAILURE in the view and
 * SUCCESS after a rebuild from the compacted topic.
 *
 * @param original  the source image as displayed (after EXIF orientation); absent on {@code STARTED}
 * @param thumbnail the written thumbnail; present on {@code SUCCESS} only
 * @param error     why the task failed; present on {@code FAILURE} only
 * @param worker      identity of the worker instance that handled the task
 * @param requestedAt when the API accepted the task (copied from the request), for end-to-end latency
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResizeCompleted(
        int version,
        String taskId,
        TaskStatus status,
        ImageInfo original,
        ThumbnailInfo thumbnail,
        ErrorInfo error,
        String worker,
        Instant startedAt,
        Instant finishedAt,
        Instant requestedAt) {

    public static final int CURRENT_VERSION = 1;

    public static ResizeCompleted started(String taskId, String worker, Instant startedAt) {
        return new ResizeCompleted(CURRENT_VERSION, taskId, TaskStatus.STARTED, null, null, null, worker, startedAt,
                null, null);
    }

    public static ResizeCompleted success(String taskId, ImageInfo original, ThumbnailInfo thumbnail, String worker,
            Instant startedAt, Instant finishedAt) {
        return new ResizeCompleted(CURRENT_VERSION, taskId, TaskStatus.SUCCESS, original, thumbnail, null, worker,
                startedAt, finishedAt, null);
    }

    public static ResizeCompleted failure(String taskId, ImageInfo original, ErrorInfo error, String worker,
            Instant startedAt, Instant finishedAt) {
        return new ResizeCompleted(CURRENT_VERSION, taskId, TaskStatus.FAILURE, original, null, error, worker,
                startedAt, finishedAt, null);
    }

    /** The same event, stamped with the time the API accepted the task. */
    public ResizeCompleted withRequestedAt(Instant requested) {
        return new ResizeCompleted(version, taskId, status, original, thumbnail, error, worker, startedAt, finishedAt,
                requested);
    }

    /** Source image; {@code format} is the sniffed format name, e.g. {@code JPEG}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ImageInfo(String key, int width, int height, String format) {
    }

    /** Written thumbnail; {@code format} is {@code JPEG} or {@code PNG}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ThumbnailInfo(String key, int width, int height, String format, long sizeBytes) {
    }

    /** A stable machine-readable {@code code} (see {@link ErrorCodes}) and a message that is safe to show. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ErrorInfo(String code, String message) {
    }
}
