package dev.thumbnail.api.dashboard;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code GET /dashboard/api/summary}: what the dashboard draws before live events arrive. {@code counts} are by status
 * over the recent-task index ({@code recentTasks} entries, bounded by count and age); {@code tasks} its newest rows;
 * {@code maxUploadBytes} the upload limit ({@code thumbnail.upload.max-bytes}), which the page checks before sending;
 * {@code statusRanks} each status and its place in the lifecycle ({@code TaskStatus.rank}), in order, so that the page
 * applies live changes forward only by the service's own order.
 */
public record DashboardSummary(
        String generatedAt,
        Map<String, Long> counts,
        int recentTasks,
        List<TaskRow> tasks,
        List<Worker> workers,
        List<Minute> minutes,
        long maxUploadBytes,
        Map<String, Integer> statusRanks) {

    /** A worker heard from recently: tasks it finished while listed, and when it was last heard from. */
    public record Worker(String id, long tasksDone, String lastSeen) {
    }

    /** One minute of the chart: tasks created and finished in it, and their mean upload → finished latency. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Minute(String start, long created, long succeeded, long failed, Long averageLatencyMs) {
    }
}
