package dev.thumbnail.api.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.thumbnail.api.task.TaskRecord;
import dev.thumbnail.contracts.TaskStatus;

/**
 * One task as the dashboard shows it: a row of the recent-task table, and the data of each {@code /events} event.
 * {@code processingMs} is the worker's own time (started → finished); {@code totalMs} is upload → finished.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskRow(
        String taskId,
        String status,
        String filename,
        String createdAt,
        List<Integer> originalSize,
        String originalFormat,
        Long originalBytes,
        List<Integer> thumbnailSize,
        String thumbnailFormat,
        Long thumbnailBytes,
        String thumbnailUrl,
        String worker,
        Long processingMs,
        Long totalMs,
        String errorCode,
        String errorMessage) {

    static TaskRow of(TaskRecord task) {
        return new TaskRow(
                task.taskId(),
                task.status().name(),
                task.get(TaskRecord.FILENAME).orElse(null),
                task.get(TaskRecord.CREATED_AT).orElse(null),
                size(task, TaskRecord.ORIGINAL_WIDTH, TaskRecord.ORIGINAL_HEIGHT),
                task.get(TaskRecord.ORIGINAL_FORMAT).orElse(null),
                task.get(TaskRecord.SIZE_BYTES).map(Long::valueOf).orElse(null),
                size(task, TaskRecord.THUMBNAIL_WIDTH, TaskRecord.THUMBNAIL_HEIGHT),
                task.get(TaskRecord.THUMBNAIL_FORMAT).orElse(null),
                task.get(TaskRecord.THUMBNAIL_BYTES).map(Long::valueOf).orElse(null),
                task.status() == TaskStatus.SUCCESS ? "/thumbnail/" + task.taskId() : null,
                task.get(TaskRecord.WORKER).orElse(null),
                millisBetween(task, TaskRecord.STARTED_AT, TaskRecord.FINISHED_AT),
                millisBetween(task, TaskRecord.CREATED_AT, TaskRecord.FINISHED_AT),
                task.get(TaskRecord.ERROR_CODE).orElse(null),
                task.get(TaskRecord.ERROR_MESSAGE).orElse(null));
    }

    private static List<Integer> size(TaskRecord task, String width, String height) {
        return task.getInt(width).flatMap(w -> task.getInt(height).map(h -> List.of(w, h))).orElse(null);
    }

    /** Null when either time is missing or unreadable: a display value is not worth failing a summary for. */
    private static Long millisBetween(TaskRecord task, String from, String to) {
        Optional<Instant> start = instant(task, from);
        Optional<Instant> end = instant(task, to);
        return start.isPresent() && end.isPresent() ? Duration.between(start.get(), end.get()).toMillis() : null;
    }

    private static Optional<Instant> instant(TaskRecord task, String field) {
        try {
            return task.get(field).map(Instant::parse);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
