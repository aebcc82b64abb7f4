package dev.thumbnail.api.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.thumbnail.contracts.TaskStatus;

/**
 * A status change as announced on the Redis channel by the fold script: {@code {"taskId":"…","status":"STARTED"}}.
 * It says only that something moved; listeners read the task itself, so a lost or coalesced notice costs nothing but
 * an intermediate state.
 */
public record TaskChange(String taskId, TaskStatus status) {

    /** Sent to every listener after (re)subscribing: notices may have been missed meanwhile, so read again. */
    static final TaskChange RESYNC = new TaskChange(null, null);

    static TaskChange parse(ObjectMapper json, String message) throws JsonProcessingException {
        TaskChange change = json.readValue(message, TaskChange.class);
        if (change.taskId() == null || change.status() == null) {
            throw new IllegalArgumentException("a change notice without task id or status");
        }
        return change;
    }

    boolean isResync() {
        return taskId == null;
    }
}
