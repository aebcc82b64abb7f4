package dev.thumbnail.api.dashboard;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code GET /dashboard/api/tasks/{id}}: the task and its timeline, oldest change first. */
public record TaskDetail(TaskRow task, List<Change> timeline) {

    /** One applied status change, timed by Redis' clock, with the worker known at that point. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Change(String status, String at, String worker) {
    }
}
