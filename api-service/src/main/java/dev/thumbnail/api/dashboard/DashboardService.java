package dev.thumbnail.api.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.thumbnail.api.auth.Caller;
import dev.thumbnail.api.config.ApiConfig;
import dev.thumbnail.api.error.ApiException;
import dev.thumbnail.api.task.TaskRecord;
import dev.thumbnail.api.task.TaskKeys;
import dev.thumbnail.api.task.TaskService;
import dev.thumbnail.api.task.TaskStore;
import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.TaskStatus;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.quarkus.redis.datasource.list.ReactiveListCommands;
import io.quarkus.redis.datasource.sortedset.ReactiveSortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ZRangeArgs;
import io.smallrye.mutiny.Uni;

/**
 * Reads the bounded history the fold script keeps in Redis (recent-task index, per-task timelines, workers,
 * per-minute counters) for the dashboard; admin keys only. Non-blocking throughout, with a small cap on reads in
 * flight so that a summary of a thousand tasks does not exhaust the Redis connection pool.
 */
@ApplicationScoped
public class DashboardService {

    private static final int READS_IN_FLIGHT = 8;
    private static final long MINUTE_MS = 60_000;

    private final ReactiveSortedSetCommands<String, String> sortedSets;
    private final ReactiveHashCommands<String, String, String> hashes;
    private final ReactiveListCommands<String, String> lists;
    private final TaskStore store;
    private final ObjectMapper json;
    private final ApiConfig.Dashboard config;
    private final long maxUploadBytes;

    public DashboardService(ReactiveRedisDataSource redis, TaskStore store, ObjectMapper json,
            ApiConfig config) {
        this.sortedSets = redis.sortedSet(String.class);
        this.hashes = redis.hash(String.class);
        this.lists = redis.list(String.class);
        this.store = store;
        this.json = json;
        this.config = config.dashboard();
        this.maxUploadBytes = config.upload().maxBytes().asLongValue();
    }

    public Uni<DashboardSummary> summary(Caller caller) {
        requireAdmin(caller);
        Instant now = Instant.now();
        Uni<List<TaskRecord>> tasks = sortedSets.zrange(TaskKeys.RECENT_TASKS, 0, -1, new ZRangeArgs().rev())
                .chain(this::readTasks);
        Uni<List<DashboardSummary.Worker>> workers = sortedSets
                .zrangeWithScores(TaskKeys.WORKERS_SEEN, 0, -1, new ZRangeArgs().rev())
                .chain(seen -> hashes.hgetall(TaskKeys.WORKERS_DONE).map(done -> seen.stream()
                        .map(worker -> new DashboardSummary.Worker(worker.value(),
                                Long.parseLong(done.getOrDefault(worker.value(), "0")),
                                Instant.ofEpochMilli((long) worker.score()).toString()))
                        .toList()));
        Uni<DashboardSummary> summary = Uni.combine().all().unis(tasks, workers, minutes(now))
                .with((recent, seen, chart) -> new DashboardSummary(now.toString(), counts(recent), recent.size(),
                        recent.stream().limit(config.tableSize()).map(TaskRow::of).toList(), seen, chart,
                        maxUploadBytes, STATUS_RANKS));
        return TaskService.storeCall(summary, TaskService.STORE_TIMEOUT);
    }

    /** The task and its timeline; unknown, malformed and expired ids are 404, as on {@code /status}. */
    public Uni<TaskDetail> detail(String taskId, Caller caller) {
        requireAdmin(caller);
        if (!BlobKeys.isTaskId(taskId)) {
            return Uni.createFrom().failure(notFound());
        }
        return TaskService.storeCall(store.find(taskId).chain(found -> {
            TaskRecord task = found.orElseThrow(DashboardService::notFound);
            return lists.lrange(TaskKeys.timeline(taskId), 0, -1).map(entries ->
                    new TaskDetail(TaskRow.of(task), timeline(taskId, entries)));
        }), TaskService.STORE_TIMEOUT);
    }

    static void requireAdmin(Caller caller) {
        if (!caller.admin()) {
            throw ApiException.forbidden();
        }
    }

    private Uni<List<TaskRecord>> readTasks(List<String> taskIds) {
        if (taskIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Uni<Optional<TaskRecord>>> reads = taskIds.stream().map(store::find).toList();
        // Entries whose task expired (or was never queued) are skipped; the index forgets them on its own.
        return Uni.join().all(reads).usingConcurrencyOf(READS_IN_FLIGHT).andFailFast()
                .map(found -> found.stream().flatMap(Optional::stream).toList());
    }

    private Uni<List<DashboardSummary.Minute>> minutes(Instant now) {
        long current = now.toEpochMilli() / MINUTE_MS;
        long count = Math.max(1, config.window().toMinutes());
        List<Uni<DashboardSummary.Minute>> buckets = new ArrayList<>();
        for (long minute = current - count + 1; minute <= current; minute++) {
            long start = minute * MINUTE_MS;
            buckets.add(hashes.hgetall(TaskKeys.stats(minute)).map(stats -> minute(start, stats)));
        }
        return Uni.join().all(buckets).usingConcurrencyOf(READS_IN_FLIGHT).andFailFast();
    }

    private static DashboardSummary.Minute minute(long start, Map<String, String> stats) {
        long latencyCount = number(stats, TaskKeys.LATENCY_COUNT);
        return new DashboardSummary.Minute(Instant.ofEpochMilli(start).toString(), number(stats, TaskKeys.CREATED),
                number(stats, TaskKeys.SUCCEEDED), number(stats, TaskKeys.FAILED),
                latencyCount > 0 ? number(stats, TaskKeys.LATENCY_MS_SUM) / latencyCount : null);
    }

    private static long number(Map<String, String> stats, String field) {
        return Long.parseLong(stats.getOrDefault(field, "0"));
    }

    /** Each status and its place in the lifecycle, in lifecycle order: the dashboard orders by it, never by its own. */
    private static final Map<String, Integer> STATUS_RANKS = statusRanks();

    private static Map<String, Integer> statusRanks() {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (TaskStatus status : TaskStatus.values()) {
            ranks.put(status.name(), status.rank());
        }
        return java.util.Collections.unmodifiableMap(ranks);
    }

    private static Map<String, Long> counts(List<TaskRecord> tasks) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (TaskStatus status : TaskStatus.values()) {
            counts.put(status.name(), 0L);
        }
        tasks.forEach(task -> counts.merge(task.status().name(), 1L, Long::sum));
        return counts;
    }

    private List<TaskDetail.Change> timeline(String taskId, List<String> newestFirst) {
        List<TaskDetail.Change> changes = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            try {
                TimelineEntry entry = json.readValue(newestFirst.get(i), TimelineEntry.class);
                changes.add(new TaskDetail.Change(entry.status(), Instant.ofEpochMilli(entry.at()).toString(),
                        entry.worker()));
            } catch (Exception e) {
                Log.debugf("task %s: skipping an unreadable timeline entry", taskId);
            }
        }
        return changes;
    }

    private static ApiException notFound() {
        return ApiException.notFound("TASK_NOT_FOUND", "No task with this id.");
    }

    /** A timeline entry as the fold script writes it. */
    record TimelineEntry(String status, long at, String worker) {
    }
}
