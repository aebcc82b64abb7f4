package dev.thumbnail.api.task;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.TaskStatus;

/**
 * A task as it is kept in Redis: one hash {@code task:{id}} of flat string fields. Built from the upload
 * ({@link #pendingFields}) and folded forward by completion events ({@link #completionFields}).
 */
public record TaskRecord(String taskId, TaskStatus status, Map<String, String> fields) {

    public static final String STATUS = "status";
    /** Written by the create script: the creation time in epoch milliseconds, for the latency statistics. */
    public static final String CREATED_MS = "createdMs";
    public static final String OWNER = "owner";
    public static final String FILENAME = "filename";
    public static final String CONTENT_TYPE = "contentType";
    public static final String SIZE_BYTES = "sizeBytes";
    public static final String ORIGINAL_KEY = "originalKey";
    public static final String CREATED_AT = "createdAt";
    public static final String ORIGINAL_WIDTH = "originalWidth";
    public static final String ORIGINAL_HEIGHT = "originalHeight";
    public static final String ORIGINAL_FORMAT = "originalFormat";
    public static final String THUMBNAIL_KEY = "thumbnailKey";
    public static final String THUMBNAIL_WIDTH = "thumbnailWidth";
    public static final String THUMBNAIL_HEIGHT = "thumbnailHeight";
    public static final String THUMBNAIL_FORMAT = "thumbnailFormat";
    public static final String THUMBNAIL_BYTES = "thumbnailBytes";
    public static final String ERROR_CODE = "errorCode";
    public static final String ERROR_MESSAGE = "errorMessage";
    public static final String WORKER = "worker";
    public static final String STARTED_AT = "startedAt";
    public static final String FINISHED_AT = "finishedAt";

    public static TaskRecord fromHash(String taskId, Map<String, String> hash) {
        return new TaskRecord(taskId, TaskStatus.valueOf(hash.get(STATUS)), Map.copyOf(hash));
    }

    static Map<String, String> pendingFields(NewTask task) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(OWNER, task.owner());
        fields.put(FILENAME, task.filename());
        fields.put(CONTENT_TYPE, task.contentType());
        fields.put(SIZE_BYTES, Long.toString(task.sizeBytes()));
        fields.put(ORIGINAL_KEY, task.originalKey());
        fields.put(CREATED_AT, task.createdAt().toString());
        return fields;
    }

    static Map<String, String> completionFields(ResizeCompleted event) {
        Map<String, String> fields = new LinkedHashMap<>();
        putIfPresent(fields, WORKER, event.worker());
        putIfPresent(fields, STARTED_AT, event.startedAt());
        putIfPresent(fields, FINISHED_AT, event.finishedAt());
        if (event.original() != null) {
            fields.put(ORIGINAL_WIDTH, Integer.toString(event.original().width()));
            fields.put(ORIGINAL_HEIGHT, Integer.toString(event.original().height()));
            putIfPresent(fields, ORIGINAL_FORMAT, event.original().format());
        }
        if (event.thumbnail() != null) {
            fields.put(THUMBNAIL_KEY, event.thumbnail().key());
            fields.put(THUMBNAIL_WIDTH, Integer.toString(event.thumbnail().width()));
            fields.put(THUMBNAIL_HEIGHT, Integer.toString(event.thumbnail().height()));
            fields.put(THUMBNAIL_FORMAT, event.thumbnail().format());
            fields.put(THUMBNAIL_BYTES, Long.toString(event.thumbnail().sizeBytes()));
        }
        if (event.error() != null) {
            putIfPresent(fields, ERROR_CODE, event.error().code());
            putIfPresent(fields, ERROR_MESSAGE, event.error().message());
        }
        return fields;
    }

    public Optional<String> get(String field) {
        return Optional.ofNullable(fields.get(field));
    }

    public Optional<Integer> getInt(String field) {
        return get(field).map(Integer::valueOf);
    }

    public String owner() {
        return fields.getOrDefault(OWNER, "");
    }

    private static void putIfPresent(Map<String, String> fields, String name, Object value) {
        if (value != null) {
            fields.put(name, value.toString());
        }
    }
}
