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
 * atomically and never backwards: a late or duplicated event is a no-op, whatever order events arrive in. The same
 * script keeps each owner's count of unfinished tasks ({@code pending:{owner}}) for backpressure: it checks and
 * counts a new task in one step, and counts a task out the one time it moves to a terminal status.
 */
@ApplicationScoped
public class TaskStatusCache {

    /**
     * KEYS[1] task hash; KEYS[2] the owner's pending counter (PENDING only). ARGV[1] new status; ARGV[2] retention in
     * ms; ARGV[3] the most unfinished tasks an owner may have (PENDING only); ARGV[4..] field/value pairs. Returns 1
     * when applied, 0 when the stored status is already as far or further along, -1 when a new task is refused because
     * its owner has too many unfinished ones. A terminal event finds its owner's counter from the hash (a key built in
     * the script: fine on one Redis, not on Redis Cluster). The counter lives as long as a task entry, so a task whose
     * entry expired unfinished cannot hold a slot for ever.
     */
    static final String FOLD_SCRIPT = """
            local rank = {PENDING = 0, STARTED = 1, SUCCESS = 2, FAILURE = 2}
            local current = redis.call('HGET', KEYS[1], 'status')
            if current and rank[current] >= rank[ARGV[1]] then
              return 0
            end
            if ARGV[1] == 'PENDING' then
              if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[3]) then
                return -1
              end
              redis.call('INCR', KEYS[2])
              redis.call('PEXPIRE', KEYS[2], ARGV[2])
            elseif rank[ARGV[1]] == 2 then
              local owner = redis.call('HGET', KEYS[1], 'owner')
              if owner and tonumber(redis.call('GET', 'pending:' .. owner) or '0') > 0 then
                redis.call('DECR', 'pending:' .. owner)
              end
            end
            redis.call('HSET', KEYS[1], 'status', ARGV[1], unpack(ARGV, 4))
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return 1
            """;

    /**
     * KEYS[1] task hash; KEYS[2] its owner's pending counter. Removes a task that could not be queued and gives its
     * slot back, only if this call removed it, so a repeated rollback cannot count it out twice.
     */
    static final String DISCARD_SCRIPT = """
            if redis.call('DEL', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then
              redis.call('DECR', KEYS[2])
            end
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

    static String pendingKey(String owner) {
        return "pending:" + owner;
    }

    /**
     * Records a freshly accepted task as {@code PENDING} and counts it against its owner, unless the owner already has
     * {@code maxPending} unfinished tasks: then nothing is written and this returns false. Blocking: call from a worker
     * thread.
     */
    public boolean createPending(NewTask task, int maxPending) {
        List<String> args = new ArrayList<>();
        args.add(FOLD_SCRIPT);
        args.add("2");
        args.add(key(task.taskId()));
        args.add(pendingKey(task.owner()));
        args.add(TaskStatus.PENDING.name());
        args.add(retentionMillis);
        args.add(Integer.toString(maxPending));
        TaskRecord.pendingFields(task).forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        return redis.execute("EVAL", args.toArray(String[]::new)).toInteger() == 1;
    }

    /** Folds a worker's event into the task's status; completes with whether it moved the status forward. */
    public Uni<Boolean> fold(ResizeCompleted event) {
        if (event.status() == TaskStatus.PENDING) {
            // Only the API records PENDING, with its owner's counter; such an event can only ever be a no-op.
            return Uni.createFrom().item(false);
        }
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

    /**
     * Removes a task that could not be queued and gives its owner's slot back, so no PENDING entry is left that will
     * never run, nor a count that will never go down.
     */
    public void discard(NewTask task) {
        redis.execute("EVAL", DISCARD_SCRIPT, "2", key(task.taskId()), pendingKey(task.owner()));
    }

    private String[] foldArguments(String taskId, TaskStatus status, Map<String, String> fields) {
        List<String> args = new ArrayList<>(5 + 2 * fields.size());
        args.add(FOLD_SCRIPT);
        args.add("1");
        args.add(key(taskId));
        args.add(status.name());
        args.add(retentionMillis);
        args.add("0");
        fields.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        return args.toArray(String[]::new);
    }
}
