package dev.thumbnail.api.task;

/**
 * The Redis key schema of the task view, in one place: {@link TaskStore} writes these keys (through its scripts) and
 * the dashboard reads them. Keys that a script builds itself (an owner's counter, a minute's stats) are passed to it
 * as prefixes from here. One Redis, not Redis Cluster: the scripts touch keys they compute.
 */
public final class TaskKeys {

    /** A task: a hash of flat string fields ({@link TaskRecord}), expiring with the retention. */
    public static String task(String taskId) {
        return "task:" + taskId;
    }

    /** A task's applied status changes, newest first: JSON {@code {"status","at" (epoch ms),"worker"}}. */
    public static String timeline(String taskId) {
        return "task:" + taskId + ":events";
    }

    /**
     * A task the API refused after its create may have reached Redis (the create unanswered, or the request not
     * queued): a marker with the retention, left by the rollback, so that a create arriving after its rollback (late,
     * on a connection the API had given up, when the rollback went on a new one) makes nothing.
     */
    public static String discarded(String taskId) {
        return "discarded:" + taskId;
    }

    /** Unfinished tasks of one owner, for backpressure. */
    public static String pending(String owner) {
        return PENDING_PREFIX + owner;
    }

    static final String PENDING_PREFIX = "pending:";

    /** Recent tasks for the dashboard: a sorted set of task ids scored by creation time (ms), capped by count and age. */
    public static final String RECENT_TASKS = "tasks:recent";

    /** Workers seen recently: a sorted set of worker ids scored by the last time one of their events was folded (ms). */
    public static final String WORKERS_SEEN = "workers:seen";

    /** Tasks each listed worker finished (SUCCESS or FAILURE): a hash worker id → count, pruned with the set above. */
    public static final String WORKERS_DONE = "workers:done";

    /** Per-minute counters {@code stats:{epoch minute}}: the fields below. */
    public static final String STATS_PREFIX = "stats:";

    public static String stats(long epochMinute) {
        return STATS_PREFIX + epochMinute;
    }

    /** Fields of a minute's counters. */
    public static final String CREATED = "created";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String LATENCY_MS_SUM = "latencyMsSum";
    public static final String LATENCY_COUNT = "latencyCount";

    /**
     * The Redis {@code run_id} the view was last rebuilt for. Missing, or another run_id than the server's, means
     * Redis restarted empty or was replaced since: the view is rebuilt from the topics ({@link ViewRebuilder}).
     */
    public static final String VIEW_BUILT_FOR = "view:built-for";

    /**
     * A hash, partition of the completions topic to offset: the last rebuild folded every completion event below it.
     * The live fold meets those events again (its group's offsets are behind); they are not "processed again".
     */
    public static final String VIEW_REBUILT_UP_TO = "view:rebuilt-up-to";

    /** Held by the API instance that rebuilds the view, so that only one does. */
    public static final String VIEW_REBUILD_LOCK = "view:rebuild-lock";

    private TaskKeys() {
    }
}
