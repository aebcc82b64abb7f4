package dev.thumbnail.api.task;

import java.time.Instant;

/** What the API knows of a task when it accepts the upload. */
public record NewTask(String taskId, String owner, String filename, String contentType, long sizeBytes,
        String originalKey, Instant createdAt) {
}
