package dev.thumbnail.api.task;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /create}'s answer, in the old service's shape: {@code {"status":"success","data":{"task_id":...}}}. */
@Schema(name = "CreateResponse")
public record CreateResponse(@Schema(enumeration = "success") String status, Data data) {

    public record Data(@JsonProperty("task_id") @Schema(format = "uuid") String taskId) {
    }

    static CreateResponse of(String taskId) {
        return new CreateResponse("success", new Data(taskId));
    }
}
