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
import io.quarkus.redis.datasource.hash.ReactiveHashCommands;
import io.smallrye.mutiny.Uni;

/**
 * The Redis view of task statuses. Every write goes through one Lua script, so a status is created and moved forward
 * atomically and never backwards: a late or duplicated event is a no-op, whatever order events arrive in. The same
 * script keeps each owner's count of unfinished tasks ({@code pending:{owner}}) for backpressure: it checks and
 * counts a new task in one step, and counts a task out the one time it moves to a terminal status. In the same step
 * it keeps the dashboard's bounded history and announces the change on a pub/sub channel ({@link TaskChanges}).
 */
@ApplicationScoped
public class TaskStatusCache {

    /** Recent tasks for the dashboard: a sorted set of task ids scored by creation time (ms), capped by count and age. */
    public static final String RECENT_TASKS = "tasks:recent";
    /** Workers seen recently: a sorted set of worker ids scored by the last time one of their events was folded (ms). */
    public static final String WORKERS_SEEN = "workers:seen";
    /** Tasks each listed worker finished (SUCCESS or FAILURE): a hash worker id → count, pruned with the set above. */
    public static final String WORKERS_DONE = "workers:done";
    /** Prefix of the per-minute counters {@code stats:{epoch minute}} (created, succeeded, failed, latency sum/count). */
    public static final String STATS_PREFIX = "stats:";

    /**
     * KEYS[1] task hash; KEYS[2] its timeline list; KEYS[3] {@link #RECENT_TASKS}; KEYS[4] {@link #WORKERS_SEEN};
     * KEYS[5] {@link #WORKERS_DONE}; KEYS[6] the owner's pending counter (PENDING only). ARGV[1] new status; ARGV[2]
     * retention in ms; ARGV[3] the most unfinished tasks an owner may have (PENDING only); ARGV[4] task id; ARGV[5]
     * the change channel; ARGV[6] most recent tasks kept; ARGV[7] their maximum age in ms; ARGV[8] timeline length;
     * ARGV[9] lifetime of a per-minute stats bucket in ms; ARGV[10] how long an idle worker stays listed in ms;
     * ARGV[11..] field/value pairs.
     * <p>
     * Returns 1 when applied, 0 when the stored status is already as far or further along, -1 when a new task is
     * refused because its owner has too many unfinished ones. A terminal event finds its owner's counter from the hash
     * (a key built in the script, as are the stats buckets: fine on one Redis, not on Redis Cluster). The counter lives
     * as long as a task entry, so a task whose entry expired unfinished cannot hold a slot for ever.
     * <p>
     * Only an applied change touches the dashboard's history and is announced on the channel, in the same atomic step:
     * a listener never hears of a change that is not stored, nor misses one that is (while it is subscribed). Times
     * come from Redis' clock, one clock for every API instance.
     */
    static final String FOLD_SCRIPT = """
            local rank = {PENDING = 0, STARTED = 1, SUCCESS = 2, FAILURE = 2}
            local current = redis.call('HGET', KEYS[1], 'status')
            if current and rank[current] >= rank[ARGV[1]] then
              return 0
            end
            if ARGV[1] == 'PENDING' then
              if tonumber(redis.call('GET', KEYS[6]) or '0') >= tonumber(ARGV[3]) then
                return -1
              end
              redis.call('INCR', KEYS[6])
              redis.call('PEXPIRE', KEYS[6], ARGV[2])
            elseif rank[ARGV[1]] == 2 then
              local owner = redis.call('HGET', KEYS[1], 'owner')
              if owner and tonumber(redis.call('GET', 'pending:' .. owner) or '0') > 0 then
                redis.call('DECR', 'pending:' .. owner)
              end
            end
            redis.call('HSET', KEYS[1], 'status', ARGV[1], unpack(ARGV, 11))
            redis.call('PEXPIRE', KEYS[1], ARGV[2])

            local clock = redis.call('TIME')
            local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
            local nowText = string.format('%.0f', now)
            local stats = 'stats:' .. string.format('%.0f', math.floor(now / 60000))
            local worker = redis.call('HGET', KEYS[1], 'worker')
            local entry = {status = ARGV[1], at = now}
            if worker then
              entry.worker = worker
            end
            redis.call('LPUSH', KEYS[2], cjson.encode(entry))
            redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[8]) - 1)
            redis.call('PEXPIRE', KEYS[2], ARGV[2])
            if ARGV[1] == 'PENDING' then
              redis.call('HSET', KEYS[1], 'createdMs', nowText)
              redis.call('ZADD', KEYS[3], nowText, ARGV[4])
              redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', string.format('(%.0f', now - tonumber(ARGV[7])))
              redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -tonumber(ARGV[6]) - 1)
              redis.call('HINCRBY', stats, 'created', 1)
            else
              if worker then
                redis.call('ZADD', KEYS[4], nowText, worker)
                local idle = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', string.format('(%.0f', now - tonumber(ARGV[10])))
                for _, gone in ipairs(idle) do
                  redis.call('ZREM', KEYS[4], gone)
                  redis.call('HDEL', KEYS[5], gone)
                end
              end
              if rank[ARGV[1]] == 2 then
                if worker then
                  redis.call('HINCRBY', KEYS[5], worker, 1)
                end
                redis.call('HINCRBY', stats, ARGV[1] == 'SUCCESS' and 'succeeded' or 'failed', 1)
                local created = tonumber(redis.call('HGET', KEYS[1], 'createdMs'))
                if created then
                  redis.call('HINCRBY', stats, 'latencyMsSum', string.format('%.0f', now - created))
                  redis.call('HINCRBY', stats, 'latencyCount', 1)
                end
              end
            end
            redis.call('PEXPIRE', stats, ARGV[9])
            redis.call('PUBLISH', ARGV[5], cjson.encode({taskId = ARGV[4], status = ARGV[1]}))
            return 1
            """;

    /**
     * KEYS[1] task hash; KEYS[2] its owner's pending counter; KEYS[3] its timeline; KEYS[4] {@link #RECENT_TASKS}.
     * ARGV[1] task id. Removes a task that could not be queued and gives its slot back, only if this call removed it,
     * so a repeated rollback cannot count it out twice. It leaves the dashboard's history too.
     */
    static final String DISCARD_SCRIPT = """
            if redis.call('DEL', KEYS[1]) == 1 and tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then
              redis.call('DECR', KEYS[2])
            end
            redis.call('DEL', KEYS[3])
            redis.call('ZREM', KEYS[4], ARGV[1])
            return 1
            """;

    private final HashCommands<String, String, String> hashes;
    private final ReactiveHashCommands<String, String, String> reactiveHashes;
    private final RedisDataSource redis;
    private final ReactiveRedisDataSource reactiveRedis;
    private final String retentionMillis;
    private final List<String> historyArguments;

    public TaskStatusCache(RedisDataSource redis, ReactiveRedisDataSource reactiveRedis, ApiConfig config) {
        this.redis = redis;
        this.reactiveRedis = reactiveRedis;
        this.hashes = redis.hash(String.class);
        this.reactiveHashes = reactiveRedis.hash(String.class);
        this.retentionMillis = Long.toString(config.retention().toMillis());
        ApiConfig.Dashboard dashboard = config.dashboard();
        // A bucket outlives the chart's window by a minute, so the oldest minute shown is still complete.
        this.historyArguments = List.of(
                config.events().channel(),
                Integer.toString(dashboard.recentTasks()),
                Long.toString(dashboard.recentMaxAge().toMillis()),
                Integer.toString(dashboard.timelineLength()),
                Long.toString(dashboard.window().plusMinutes(1).toMillis()),
                Long.toString(dashboard.workersMaxAge().toMillis()));
    }

    static String key(String taskId) {
        return "task:" + taskId;
    }

    static String pendingKey(String owner) {
        return "pending:" + owner;
    }

    /** The task's timeline: newest first, JSON entries {@code {"status","at" (epoch ms),"worker"}}. */
    public static String timelineKey(String taskId) {
        return "task:" + taskId + ":events";
    }

    /**
     * Records a freshly accepted task as {@code PENDING} and counts it against its owner, unless the owner already has
     * {@code maxPending} unfinished tasks: then nothing is written and this returns false. Blocking: call from a worker
     * thread.
     */
    public boolean createPending(NewTask task, int maxPending) {
        String[] args = foldArguments(task.taskId(), TaskStatus.PENDING, pendingKey(task.owner()), maxPending,
                TaskRecord.pendingFields(task));
        return redis.execute("EVAL", args).toInteger() == 1;
    }

    /** Folds a worker's event into the task's status; completes with whether it moved the status forward. */
    public Uni<Boolean> fold(ResizeCompleted event) {
        if (event.status() == TaskStatus.PENDING) {
            // Only the API records PENDING, with its owner's counter; such an event can only ever be a no-op.
            return Uni.createFrom().item(false);
        }
        // The pending-counter key is only used for PENDING; a completion finds its owner's counter from the hash.
        String[] args = foldArguments(event.taskId(), event.status(), pendingKey(""), 0,
                TaskRecord.completionFields(event));
        return reactiveRedis.execute("EVAL", args).map(response -> response.toInteger() == 1);
    }

    /** Blocking read of a task; empty when unknown or expired. */
    public Optional<TaskRecord> find(String taskId) {
        return toRecord(taskId, hashes.hgetall(key(taskId)));
    }

    /** Non-blocking read of a task, for the streams; empty when unknown or expired. */
    public Uni<Optional<TaskRecord>> findAsync(String taskId) {
        return reactiveHashes.hgetall(key(taskId)).map(hash -> toRecord(taskId, hash));
    }

    /**
     * Removes a task that could not be queued and gives its owner's slot back, so no PENDING entry is left that will
     * never run, nor a count that will never go down.
     */
    public void discard(NewTask task) {
        redis.execute("EVAL", DISCARD_SCRIPT, "4", key(task.taskId()), pendingKey(task.owner()),
                timelineKey(task.taskId()), RECENT_TASKS, task.taskId());
    }

    private static Optional<TaskRecord> toRecord(String taskId, Map<String, String> hash) {
        if (hash == null || hash.isEmpty() || !hash.containsKey(TaskRecord.STATUS)) {
            return Optional.empty();
        }
        return Optional.of(TaskRecord.fromHash(taskId, hash));
    }

    private String[] foldArguments(String taskId, TaskStatus status, String pendingKey, int maxPending,
            Map<String, String> fields) {
        List<String> args = new ArrayList<>(18 + 2 * fields.size());
        args.add(FOLD_SCRIPT);
        args.add("6");
        args.add(key(taskId));
        args.add(timelineKey(taskId));
        args.add(RECENT_TASKS);
        args.add(WORKERS_SEEN);
        args.add(WORKERS_DONE);
        args.add(pendingKey);
        args.add(status.name());
        args.add(retentionMillis);
        args.add(Integer.toString(maxPending));
        args.add(taskId);
        args.addAll(historyArguments);
        fields.forEach((name, value) -> {
            args.add(name);
            args.add(value);
        });
        return args.toArray(String[]::new);
    }
}
