package dev.thumbnail.api.task;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.thumbnail.api.config.ApiConfig;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.TaskStatus;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.smallrye.mutiny.Uni;

/**
 * The Redis view of task statuses. Every write goes through one Lua script, so a status is created and moved forward
 * atomically and never backwards: a late or duplicated event is a no-op, whatever order events arrive in.
 */
@ApplicationScoped
public class TaskStatusCache {

    /**
     * KEYS[1] task hash; ARGV[1] new status; ARGV[2] retention in ms; ARGV[3..] field/value pairs. Returns 1 when
     * applied, 0 when the stored status is already as far or further along.
     */
    static final String FOLD_SCRIPT = """
            local rank = {PENDING = 0, STARTED = 1, SUCCESS = 2, FAILURE = 2}
            local current = redis.call('HGET', KEYS[1], 'status')
            if current and rank[current] >= rank[ARGV[1]] then
              return 0
            end
            redis.call('HSET', KEYS[1], 'status', ARGV[1], unpack(ARGV, 3))
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1
            """;

    private final HashCommands<String, String, String> hashes;
    private final RedisDataSource redis;
    private final ReactiveRedisDataSource reactiveRedis;
    private final String retentionMillis;

    public TaskStatusCache(RedisDataSource redis, ReactiveRedisDataSource reactiveRedis, ApiConfig config) {
        this.redis = redis;
        this.reactiveRedis = reactiveRedis;
        this.hashes = redis.hash(String.class);
        this.retentionMillis = Long.toString(config.retention().toMillis());
    }

    static String key(String taskId) {
        return "task:" + taskId;
    }

    /** Records a freshly accepted task as {@code PENDING}. Blocking: call from a worker thread. */
    public void createPending(NewTask task) {
        redis.execute("EVAL", foldArguments(task.taskId(), TaskStatus.PENDING, TaskRecord.pendingFields(task)));
    }

    /** Folds a worker's event into the task's status; completes with whether it moved the status forward. */
    public Uni<Boolean> fold(ResizeCompleted event) {
        String[] args = foldArguments(event.taskId(), event.status(), TaskRecord.completionFields(event));
        return reactiveRedis.execute("EVAL", args).map(response -> response.toInteger() == 1);
    }

    /** Blocking read of a task; empty when unknown or expired. */
    public Optional<TaskRecord> find(String taskId) {
        Map<String, String> hash = hashes.hgetall(key(taskId));
        if (hash == null || hash.isEmpty() || !hash.containsKey(TaskRecord.STATUS)) {
            return Optional.empty();
        }
        return Optional.of(TaskRecord.fromHash(taskId, hash));
    }

    /** Removes a task that could not be queued, so no PENDING entry is left that will never run. */
    public void delete(String taskId) {
        redis.key(String.class).del(key(taskId));
    }

    private String[] foldArguments(String taskId, TaskStatus status, Map<String, String> fields) {
        List<String> args = new ArrayList<>(4 + 2 * fields.size());
        args.add(FOLD_SCRIPT);
        args.add("1");
        args.add(key(taskId));
        args.add(status.name());
        args.add(retentionMillis);
        fields.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        return args.toArray(String[]::new);
    }
}
