package dev.thumbnail.api.task;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.thumbnail.api.auth.Caller;
import dev.thumbnail.api.config.ApiConfig;
import dev.thumbnail.api.error.ApiException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * Task states as streams, for Server-Sent Events. A notice from {@link TaskChanges} only says "read again": the state
 * sent is always the one read (reactively) from Redis, and a stream never repeats a state nor goes backwards, so
 * notices that arrive twice, late or out of order are harmless. Changes faster than a read may be coalesced (a client
 * may see PENDING then SUCCESS); the terminal state is always sent.
 */
@ApplicationScoped
public class TaskEvents {

    /**
     * How many tasks' last sent states the stream of every task remembers (about 130 bytes each, half a megabyte per
     * subscriber at most): repeated notices come within milliseconds of each other, far inside the last 4,096 tasks.
     */
    static final int RECENT_TASKS = 4_096;

    /**
     * How long a client is asked to wait before it comes back while this instance is stopping, as a stream's
     * {@code retry:}: the {@code Retry-After} of a 503 ({@link #stopping()}); by then the load balancer has taken the
     * instance out.
     */
    public static final Duration RECONNECT_LATER = ApiException.RETRY_AFTER;

    private final TaskChanges changes;
    private final TaskStore store;
    private final int subscriberBuffer;
    private final StreamQuota quota;
    private final int maxOpenPerKey;
    /** The streams open now, ended when this instance starts to stop ({@link #drain}). */
    private final Set<MultiEmitter<?>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;

    public TaskEvents(TaskChanges changes, TaskStore store, ApiConfig config) {
        this.changes = changes;
        this.store = store;
        this.subscriberBuffer = config.events().subscriberBuffer();
        this.quota = new StreamQuota(config.events().maxOpen(), config.events().maxOpenPerKey());
        this.maxOpenPerKey = config.events().maxOpenPerKey();
    }

    /**
     * The task's states, starting with {@code current} (read when the client connected, after its access was checked)
     * and ending after the terminal one, at once if {@code current} is terminal. When {@code caller} or this instance
     * already holds as many streams and waits as it may ({@code thumbnail.events.max-open-per-key},
     * {@code max-open}), the stream ends after {@code current}: the client comes back later, as an EventSource does
     * by itself after a stream that ended.
     */
    public Multi<TaskRecord> follow(TaskRecord current, Caller caller) {
        return Multi.createFrom().emitter(emitter -> {
            StreamQuota.Taken taken = take(caller);
            if (taken.place() == null) {
                Log.debugf("task %s: a stream ends at its first state: %s", current.taskId(), taken.refusal());
                emitter.emit(current);
                emitter.complete();
                return;
            }
            followWith(current, emitter, taken.place());
        });
    }

    /** Follows the task on {@code emitter}, which holds {@code place} until it ends. */
    private void followWith(TaskRecord current, MultiEmitter<? super TaskRecord> emitter, StreamQuota.Place place) {
        Follower follower = new Follower(current.taskId(), emitter);
        Runnable unlisten;
        try {
            unlisten = changes.listen(current.taskId(), change -> follower.refresh());
        } catch (RuntimeException e) {
            place.release();
            throw e;
        }
        track(emitter, unlisten, place);
        // A drain() just now ends the stream before this state (a wait then answers with it all the same).
        follower.offer(current);
        if (draining) {
            emitter.complete();
            return;
        }
        // A change folded between the caller's read and the listener's registration would otherwise go unseen.
        follower.refresh();
    }

    private StreamQuota.Taken take(Caller caller) {
        return quota.tryTake(caller.owner(), caller != Caller.ANONYMOUS);
    }

    /**
     * The task's state once it is terminal, or, when {@code wait} passes first or this instance starts to stop, the
     * latest state read: the long poll of {@code GET /status/{id}?wait=}, fed by the same notices as the streams.
     */
    public Uni<TaskRecord> awaitTerminal(TaskRecord current, Duration wait, Caller caller) {
        return Uni.createFrom().deferred(() -> {
            StreamQuota.Taken taken = take(caller);
            if (taken.place() == null) {
                return Uni.createFrom().failure(taken.refusal() == StreamQuota.Refusal.OWNER_FULL
                        ? ApiException.tooManyWaits(maxOpenPerKey)
                        : ApiException.unavailable("This API instance holds as many waiting requests and event "
                                + "streams as it may; ask again, another one may answer.", null));
            }
            return awaitWith(current, wait, taken.place());
        });
    }

    private Uni<TaskRecord> awaitWith(TaskRecord current, Duration wait, StreamQuota.Place place) {
        return Multi.createFrom().<TaskRecord>emitter(emitter -> followWith(current, emitter, place)).select().last()
                .toUni()
                .onItem().ifNull().continueWith(current)
                .ifNoItem().after(wait).recoverWithUni(() -> store.find(current.taskId())
                        .map(found -> found.orElse(current)));
    }

    /**
     * Every task's changes as they are folded, read back from Redis; admin keys only. Like a task's own stream, it
     * repeats no task's state and never takes one back, for the {@link #RECENT_TASKS} tasks it sent last: two notices
     * read after the second change (a STARTED and a SUCCESS folded in one batch) gave the same SUCCESS twice. A
     * subscriber that falls more than the configured buffer behind is ended rather than queued for without bound.
     */
    public Multi<TaskRecord> all(Caller caller) {
        if (!caller.admin()) {
            throw ApiException.forbidden();
        }
        return Multi.createFrom().<TaskRecord>emitter(emitter -> {
            StreamQuota.Taken taken = take(caller);
            if (taken.place() == null) {
                // Ended at once: the dashboard's EventSource comes back by itself.
                emitter.complete();
                return;
            }
            SentStates sent = new SentStates();
            Runnable unlisten;
            try {
                unlisten = changes.listenToAll(change -> {
                    if (change.isResync()) {
                        return;
                    }
                    retried(store.find(change.taskId())).subscribe().with(
                            found -> found.filter(sent::isNew).ifPresent(emitter::emit),
                            failure -> Log.debugf("task %s: could not read the changed task: %s", change.taskId(),
                                    failure.getMessage()));
                });
            } catch (RuntimeException e) {
                taken.place().release();
                throw e;
            }
            track(emitter, unlisten, taken.place());
            if (draining) {
                emitter.complete();
            }
        }).onOverflow().buffer(subscriberBuffer);
    }

    /**
     * Holds {@code emitter} among the streams {@link #drain} ends until it ends, however it ends; then
     * {@code unlisten} runs and {@code place} is given back. Held first: a stream that ends at its first state (a task already finished) must find
     * itself there to leave, or it would stay held for good.
     */
    private void track(MultiEmitter<?> emitter, Runnable unlisten, StreamQuota.Place place) {
        open.add(emitter);
        emitter.onTermination(() -> {
            unlisten.run();
            open.remove(emitter);
            place.release();
        });
    }

    /**
     * A read for a stream, tried again a few times over about 3 s: a notice comes once, and a stream whose read of its
     * task's last change failed would otherwise wait for good for a state it already missed.
     */
    private static <T> Uni<T> retried(Uni<T> read) {
        return read.onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(1)).atMost(4);
    }

    /**
     * This instance starts to stop (SIGTERM; with readiness turning DOWN, before {@code quarkus.shutdown.delay} and the
     * graceful wait for the requests in flight): every event stream ends and every {@code ?wait=} is answered with the
     * state it has; new ones are answered as {@link #draining()} says, and any that slip in end at once like these.
     * Clients go on with another instance (an EventSource reconnects by itself) instead of holding this one until
     * {@code quarkus.shutdown.timeout} cuts them without an answer. {@link ShutdownDelayInitiatedEvent} is fired at the
     * start of the shutdown when {@code quarkus.shutdown.delay-enabled} was set at build time, whether or not a delay
     * is configured.
     */
    void drain(@Observes ShutdownDelayInitiatedEvent event) {
        draining = true;
        for (MultiEmitter<?> emitter : open) {
            try {
                emitter.complete();
            } catch (RuntimeException e) {
                // One subscriber's failure must not stop the rest, nor the graceful stop that fires this.
                Log.debugf("an event stream did not end cleanly: %s", e.getMessage());
            }
        }
    }

    /**
     * Whether this instance is stopping ({@link #drain}). A new long poll is then refused with {@link #stopping()}; a
     * new event stream is answered with what there is and a {@code retry:} of {@link #RECONNECT_LATER}, not a 503,
     * which would make an EventSource give up for good (the HTML standard fails the connection on any status but
     * 200, and reconnects only after a stream that ended).
     */
    public boolean draining() {
        return draining;
    }

    /**
     * The answer to a new {@code ?wait=} while this instance is stopping: a 503 with {@code Retry-After}, so that the
     * client asks again later rather than at once (an answer without waiting would be asked again at once, against
     * this same instance).
     */
    public static ApiException stopping() {
        return ApiException.unavailable("This API instance is stopping; ask again, another one will answer.", null);
    }

    /** How many streams are open now (for tests). */
    int openStreams() {
        return open.size();
    }

    /** How many streams and waits {@code owner} holds open now (for tests). */
    int openPlaces(String owner) {
        return quota.open(owner);
    }

    /** The rank last sent per task, for the most recently sent {@link #RECENT_TASKS} tasks. */
    private static final class SentStates {
        private final Map<String, Integer> ranks = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
                return size() > RECENT_TASKS;
            }
        };

        /** Whether {@code task} is further on than what was sent of it; if so, it counts as sent. */
        synchronized boolean isNew(TaskRecord task) {
            Integer sent = ranks.get(task.taskId());
            if (sent != null && task.status().rank() <= sent) {
                return false;
            }
            ranks.put(task.taskId(), task.status().rank());
            return true;
        }
    }

    /** One subscriber's position in one task's lifecycle. */
    private final class Follower {

        private final String taskId;
        private final MultiEmitter<? super TaskRecord> emitter;
        private int sentRank = -1;

        Follower(String taskId, MultiEmitter<? super TaskRecord> emitter) {
            this.taskId = taskId;
            this.emitter = emitter;
        }

        void refresh() {
            retried(store.find(taskId)).subscribe().with(
                    found -> found.ifPresent(this::offer),
                    // The next notice reads again; a stream is not ended for one failed read.
                    failure -> Log.debugf("task %s: could not read its status for a stream: %s", taskId,
                            failure.getMessage()));
        }

        synchronized void offer(TaskRecord task) {
            if (emitter.isCancelled() || task.status().rank() <= sentRank) {
                return;
            }
            sentRank = task.status().rank();
            emitter.emit(task);
            if (task.status().isTerminal()) {
                emitter.complete();
            }
        }
    }
}
