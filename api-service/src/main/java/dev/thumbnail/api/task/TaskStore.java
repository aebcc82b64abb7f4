package dev.thumbnail.api.task;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import dev.thumbnail.api.config.ApiConfig;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.TaskStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The task view in Redis, the store of record for {@code /status}: every write is one Lua script
 * ({@code redis/task-*.lua}), so a task is created once, with its creation data, and only ever moved forward
 * ({@link TaskStatus#canMoveTo}); a late or duplicated event is a no-op, whatever order events arrive in. The same
 * step keeps each owner's count of unfinished tasks for backpressure, the dashboard's bounded history, and announces
 * the change on a pub/sub channel ({@link TaskChanges}). Events are folded in batches, one round trip each.
 * <p>
 * The view can be rebuilt from the topics ({@link ViewRebuilder}): {@link #restore} and {@link #replay} are
 * {@link #create} and {@link #fold} with the events' own times, no limit and no announcements.
 */
@ApplicationScoped
public class TaskStore {

    /** What {@link #create} did. */
    public enum Created {
        ACCEPTED, TOO_MANY_PENDING, ALREADY_THERE
    }

    /**
     * What {@link #fold} did with one event. {@code VIEW_MISSING}: nothing, the view holds no such task and Redis
     * holds no view (restarted empty, not rebuilt yet): the event must be folded again once it is.
     */
    public enum Folded {
        APPLIED, NOT_NEWER, UNKNOWN_TASK, VIEW_MISSING
    }

    /** The names the scripts use ({@code N.PENDING}, {@code N.STATUS}...), each defined once, in Java. */
    static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("PENDING", TaskStatus.PENDING.name()),
            Map.entry("STARTED", TaskStatus.STARTED.name()),
            Map.entry("SUCCESS", TaskStatus.SUCCESS.name()),
            Map.entry("STATUS", TaskRecord.STATUS),
            Map.entry("OWNER", TaskRecord.OWNER),
            Map.entry("WORKER", TaskRecord.WORKER),
            Map.entry("CREATED_MS", TaskRecord.CREATED_MS),
            Map.entry("CREATED", TaskKeys.CREATED),
            Map.entry("SUCCEEDED", TaskKeys.SUCCEEDED),
            Map.entry("FAILED", TaskKeys.FAILED),
            Map.entry("LATENCY_MS_SUM", TaskKeys.LATENCY_MS_SUM),
            Map.entry("LATENCY_COUNT", TaskKeys.LATENCY_COUNT));

    private static final RedisScript CREATE = RedisScript.load("task-create.lua", NAMES);
    private static final RedisScript FOLD = RedisScript.load("task-fold.lua", NAMES);
    private static final RedisScript DISCARD = RedisScript.load("task-discard.lua", NAMES);

    private final RedisLink redis;
    private final String retentionMillis;
    private final ApiConfig.Events events;
    private final ApiConfig.Dashboard dashboard;

    public TaskStore(RedisLink redis, ApiConfig config) {
        this.redis = redis;
        this.retentionMillis = Long.toString(config.retention().toMillis());
        this.events = config.events();
        this.dashboard = config.dashboard();
    }

    /**
     * Records a freshly accepted task as {@code PENDING} and counts it against its owner, unless the owner already has
     * {@code maxPending} unfinished tasks: then nothing is written.
     */
    public Uni<Created> create(NewTask task, int maxPending) {
        return send(List.of(createCall(task, maxPending, true))).map(replies -> created(replies.get(0)));
    }

    /** {@link #create} for tasks read back from the topics: no limit, their own creation times, no announcement. */
    public Uni<List<Created>> restore(List<NewTask> tasks) {
        return send(tasks.stream().map(task -> createCall(task, -1, false)).toList())
                .map(replies -> replies.stream().map(TaskStore::created).toList());
    }

    /** Folds workers' events, in order, in one round trip. */
    public Uni<List<Folded>> fold(List<ResizeCompleted> completions) {
        return send(completions.stream().map(event -> foldCall(event, true)).toList())
                .map(replies -> replies.stream().map(TaskStore::folded).toList());
    }

    /** {@link #fold} for events read back from the topics: their own times, no announcements. */
    public Uni<List<Folded>> replay(List<ResizeCompleted> completions) {
        return send(completions.stream().map(event -> foldCall(event, false)).toList())
                .map(replies -> replies.stream().map(TaskStore::folded).toList());
    }

    /** A task; empty when unknown or expired. */
    public Uni<Optional<TaskRecord>> find(String taskId) {
        return redis.send(Request.cmd(Command.HGETALL).arg(TaskKeys.task(taskId))).map(reply -> {
            Map<String, String> hash = new HashMap<>();
            for (String field : reply.getKeys()) {
                hash.put(field, reply.get(field).toString());
            }
            return toRecord(taskId, hash);
        });
    }

    /**
     * Removes a task that could not be queued and gives its owner's slot back, so no PENDING entry is left that will
     * never run, nor a count that will never go down. Idempotent, and in either order with the create: it leaves a
     * marker ({@link TaskKeys#discarded}) under which a create arriving later makes nothing, and gives the slot back
     * only for a task it removed unfinished (a fold of the task's outcome gave it back already).
     * <p>
     * Sent with the script's text ({@code EVAL}), never by its digest: a rollback follows a create that went
     * unanswered, on a connection that may be closed before Redis answers at all (a freeze that outlasts
     * {@link RedisLink}'s patience), so a NOSCRIPT answer (Redis restarted since the script last ran) could never be
     * read and repeated; only what reached Redis before the close runs.
     */
    public Uni<Void> discard(NewTask task) {
        Call call = new Call(DISCARD, List.of(TaskKeys.task(task.taskId()), TaskKeys.timeline(task.taskId()),
                TaskKeys.RECENT_TASKS, TaskKeys.pending(task.owner()), TaskKeys.discarded(task.taskId())),
                List.of(task.taskId(), retentionMillis));
        return batch(List.of(call), true).replaceWithVoid();
    }

    // ---- the scripts' arguments, named ------------------------------------------------------------------------------

    /** task-create.lua: its KEYS, then ARGV 1-11 in this order, then the task's fields. */
    private Call createCall(NewTask task, int maxPending, boolean live) {
        List<String> args = new ArrayList<>(24);
        args.add(task.taskId());
        args.add(TaskStatus.PENDING.name());
        args.add(retentionMillis);
        args.add(Integer.toString(maxPending));
        args.add(events.channel());
        args.add(Integer.toString(dashboard.recentTasks()));
        args.add(Long.toString(dashboard.recentMaxAge().toMillis()));
        args.add(Integer.toString(dashboard.timelineLength()));
        args.add(Long.toString(statsLifetimeMillis()));
        args.add(live ? "" : Long.toString(task.createdAt().toEpochMilli()));
        args.add(live ? "1" : "0");
        TaskRecord.pendingFields(task).forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        return new Call(CREATE, List.of(TaskKeys.task(task.taskId()), TaskKeys.timeline(task.taskId()),
                TaskKeys.RECENT_TASKS, TaskKeys.pending(task.owner()), TaskKeys.STATS_PREFIX,
                TaskKeys.discarded(task.taskId())), args);
    }

    /** task-fold.lua: its KEYS, then ARGV 1-12 in this order, then the event's fields. */
    private Call foldCall(ResizeCompleted event, boolean live) {
        Map<String, String> fields = TaskRecord.completionFields(event);
        List<String> args = new ArrayList<>(13 + 2 * fields.size());
        args.add(event.taskId());
        args.add(event.status().name());
        args.add(REPLACEABLE.get(event.status()));
        args.add(event.status().isTerminal() ? "1" : "0");
        args.add(retentionMillis);
        args.add(events.channel());
        args.add(Integer.toString(dashboard.timelineLength()));
        args.add(Long.toString(statsLifetimeMillis()));
        args.add(Long.toString(dashboard.workersMaxAge().toMillis()));
        args.add(live ? "" : Long.toString(eventTime(event).toEpochMilli()));
        args.add(live ? "1" : "0");
        args.add(event.startedAt() != null ? Long.toString(event.startedAt().toEpochMilli()) : "");
        fields.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        return new Call(FOLD, List.of(TaskKeys.task(event.taskId()), TaskKeys.timeline(event.taskId()),
                TaskKeys.WORKERS_SEEN, TaskKeys.WORKERS_DONE, TaskKeys.PENDING_PREFIX, TaskKeys.STATS_PREFIX,
                TaskKeys.VIEW_BUILT_FOR), args);
    }

    /** For each status, the statuses it may replace, as the fold script takes them: the lifecycle, from Java. */
    private static final Map<TaskStatus, String> REPLACEABLE = EnumSet.allOf(TaskStatus.class).stream()
            .collect(Collectors.toMap(next -> next, next -> EnumSet.allOf(TaskStatus.class).stream()
                    .filter(current -> current.canMoveTo(next)).map(Enum::name).collect(Collectors.joining(" "))));

    /** A minute's counters outlive the dashboard's chart by a minute, so the oldest minute shown is complete. */
    private long statsLifetimeMillis() {
        return dashboard.window().plusMinutes(2).toMillis();
    }

    private static Instant eventTime(ResizeCompleted event) {
        Instant at = event.finishedAt() != null ? event.finishedAt() : event.startedAt();
        return at != null ? at : Instant.now();
    }

    // ---- sending ----------------------------------------------------------------------------------------------------

    private record Call(RedisScript script, List<String> keys, List<String> args) {
        Request request(boolean withText) {
            return withText ? script.callWithText(keys, args) : script.call(keys, args);
        }
    }

    /** One round trip for all calls; once more with the scripts' text when Redis did not know one. */
    private Uni<List<Response>> send(List<Call> calls) {
        if (calls.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return batch(calls, false).onFailure(RedisScript::isNoScript).recoverWithUni(() -> batch(calls, true));
    }

    private Uni<List<Response>> batch(List<Call> calls, boolean withText) {
        List<Request> requests = calls.stream().map(call -> call.request(withText)).toList();
        return requests.size() == 1 ? redis.send(requests.get(0)).map(List::of) : redis.batch(requests);
    }

    private static Created created(Response reply) {
        return switch (reply.toInteger()) {
            case 1 -> Created.ACCEPTED;
            case -1 -> Created.TOO_MANY_PENDING;
            default -> Created.ALREADY_THERE;
        };
    }

    private static Folded folded(Response reply) {
        return switch (reply.toInteger()) {
            case 1 -> Folded.APPLIED;
            case -2 -> Folded.UNKNOWN_TASK;
            case -3 -> Folded.VIEW_MISSING;
            default -> Folded.NOT_NEWER;
        };
    }

    private static Optional<TaskRecord> toRecord(String taskId, Map<String, String> hash) {
        if (hash == null || hash.isEmpty() || !hash.containsKey(TaskRecord.STATUS)) {
            return Optional.empty();
        }
        return Optional.of(TaskRecord.fromHash(taskId, hash));
    }
}
