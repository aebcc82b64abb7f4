package dev.thumbnail.api.task;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.thumbnail.contracts.ErrorCodes;

/**
 * {@code GET /status/{id}}, in the old service's shape: {@code status} plus {@code result} holding
 * {@code Original}/{@code Thumbnail} with {@code file_path} and {@code Size}. {@code result} is null while the task
 * runs, as it was there; the extra fields beside the old ones are additions old clients ignore.
 */
public record StatusResponse(
        @JsonProperty("task_id") String taskId,
        String status,
        Result result) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(
            @JsonProperty("Original") Image original,
            @JsonProperty("Thumbnail") Image thumbnail,
            Error error) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Image(
            @JsonProperty("file_path") String filePath,
            @JsonProperty("Size") List<Integer> size,
            String format,
            Long bytes,
            String url) {
    }

    public record Error(String code, String message) {
    }

    static StatusResponse of(TaskRecord task) {
        return new StatusResponse(task.taskId(), task.status().name(), resultOf(task));
    }

    private static Result resultOf(TaskRecord task) {
        return switch (task.status()) {
            case PENDING, STARTED -> null;
            case SUCCESS -> new Result(original(task), thumbnail(task), null);
            case FAILURE -> {
                String code = task.get(TaskRecord.ERROR_CODE).orElse(ErrorCodes.INTERNAL_ERROR);
                yield new Result(original(task), null, new Error(code,
                        task.get(TaskRecord.ERROR_MESSAGE).orElseGet(() -> ErrorCodes.publicMessage(code))));
            }
        };
    }

    private static Image original(TaskRecord task) {
        return new Image(
                task.get(TaskRecord.ORIGINAL_KEY).orElse(null),
                size(task, TaskRecord.ORIGINAL_WIDTH, TaskRecord.ORIGINAL_HEIGHT),
                task.get(TaskRecord.ORIGINAL_FORMAT).orElse(null),
                task.get(TaskRecord.SIZE_BYTES).map(Long::valueOf).orElse(null),
                null);
    }

    private static Image thumbnail(TaskRecord task) {
        return new Image(
                task.get(TaskRecord.THUMBNAIL_KEY).orElse(null),
                size(task, TaskRecord.THUMBNAIL_WIDTH, TaskRecord.THUMBNAIL_HEIGHT),
                task.get(TaskRecord.THUMBNAIL_FORMAT).orElse(null),
                task.get(TaskRecord.THUMBNAIL_BYTES).map(Long::valueOf).orElse(null),
                "/thumbnail/" + task.taskId());
    }

    private static List<Integer> size(TaskRecord task, String width, String height) {
        return task.getInt(width).flatMap(w -> task.getInt(height).map(h -> List.of(w, h))).orElse(null);
    }
}
