package dev.thumbnail.api.task;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.thumbnail.api.config.ApiConfig;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * This instance's one subscription to the change channel the fold script publishes on, fanned out to the listeners of
 * each task and to those of every task. Changes folded by any API instance arrive here the same way, including this
 * instance's own: there is no in-process shortcut, so one instance behaves exactly like several. When the
 * subscription's connection ends (Redis restarted, network) it is made again, and every listener is told to re-read,
 * since notices published in between are lost.
 * <p>
 * A subscription can also go silent without ending (a partition, or Redis' host gone without a reset: the socket stays
 * open until the kernel gives up on it, about 15 minutes), and a silent subscription looks just like a quiet system.
 * So each instance publishes a {@link #HEARTBEAT} notice every {@link #HEARTBEAT_EVERY} on the channel it listens to,
 * through the view's own connection ({@link RedisLink}); when Redis has taken two of them since this subscription last
 * heard anything, the subscription is given up and made again.
 */
@ApplicationScoped
public class TaskChanges {

    private static final Duration RESUBSCRIBE_DELAY = Duration.ofSeconds(1);
    /** The notice each instance publishes to check its own subscription; not a change, never passed on. */
    static final String HEARTBEAT = "heartbeat";
    static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(5);
    /**
     * The notice an instance publishes once it has rebuilt the view: every instance's listeners re-read, since a
     * rebuild folds without announcing each change (a follower would otherwise wait for an outcome the rebuild applied).
     */
    static final String VIEW_REBUILT = "view-rebuilt";

    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectMapper json;
    private final String channel;
    private final Map<String, Set<Consumer<TaskChange>>> byTask = new ConcurrentHashMap<>();
    private final Set<Consumer<TaskChange>> everyTask = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    private volatile ReactivePubSubCommands.ReactiveRedisSubscriber subscriber;
    private final RedisLink link;
    private final Vertx vertx;
    private long heartbeats = -1;
    /** When the current subscription last received a notice (or was made), and its way of giving up. */
    private volatile long lastHeard = System.nanoTime();
    private volatile Runnable giveUp;
    /** Heartbeats Redis took since {@link #lastHeard}. */
    private final AtomicInteger unheard = new AtomicInteger();

    public TaskChanges(ReactiveRedisDataSource redis, RedisLink link, Vertx vertx, ObjectMapper json,
            ApiConfig config) {
        this.pubsub = redis.pubsub(String.class);
        this.link = link;
        this.vertx = vertx;
        this.json = json;
        this.channel = config.events().channel();
    }

    void start(@Observes StartupEvent event) {
        subscribe();
        heartbeats = vertx.setPeriodic(HEARTBEAT_EVERY.toMillis(), id -> heartbeat());
    }

    /** Publishes a heartbeat; gives the subscription up when Redis took two since it last heard anything. */
    private void heartbeat() {
        Runnable current = giveUp;
        if (current != null && unheard.get() >= 2) {
            Log.warnf("nothing heard on Redis channel %s for %d ms although Redis took this instance's heartbeats; "
                    + "subscribing again", channel, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeard));
            current.run();
            return;
        }
        link.send(Request.cmd(Command.PUBLISH).arg(channel).arg(HEARTBEAT)).subscribe().with(
                published -> unheard.incrementAndGet(),
                failure -> Log.debugf("no heartbeat on Redis channel %s: %s", channel, failure.getMessage()));
    }

    /** Tells every instance, this one too, that the view was rebuilt: their listeners re-read. */
    Uni<Void> announceRebuilt() {
        return link.send(Request.cmd(Command.PUBLISH).arg(channel).arg(VIEW_REBUILT)).replaceWithVoid();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (heartbeats >= 0) {
            vertx.cancelTimer(heartbeats);
        }
        ReactivePubSubCommands.ReactiveRedisSubscriber current = subscriber;
        if (current != null) {
            current.unsubscribe().subscribe().with(ignored -> { }, failure -> { });
        }
    }

    /** Calls {@code listener} on every change of the task until the returned handle is run. */
    public Runnable listen(String taskId, Consumer<TaskChange> listener) {
        byTask.compute(taskId, (id, listeners) -> {
            Set<Consumer<TaskChange>> set = listeners != null ? listeners : ConcurrentHashMap.newKeySet();
            set.add(listener);
            return set;
        });
        return () -> byTask.computeIfPresent(taskId, (id, listeners) -> {
            listeners.remove(listener);
            return listeners.isEmpty() ? null : listeners;
        });
    }

    /** Calls {@code listener} on every change of every task until the returned handle is run. */
    public Runnable listenToAll(Consumer<TaskChange> listener) {
        everyTask.add(listener);
        return () -> everyTask.remove(listener);
    }

    private void subscribe() {
        if (stopped) {
            return;
        }
        AtomicBoolean lost = new AtomicBoolean();
        Runnable onLost = () -> {
            if (lost.compareAndSet(false, true)) {
                giveUp = null;
                ReactivePubSubCommands.ReactiveRedisSubscriber silent = subscriber;
                subscriber = null;
                if (silent != null) {
                    // On a silent connection this is answered, or fails, only when the socket ends; not waited for,
                    // and not cancelled either, so that the client still closes the connection then.
                    silent.unsubscribe().subscribe().with(ignored -> { }, failure -> { });
                }
                resubscribeLater();
            }
        };
        // Given up by the heartbeat like a silent subscription if subscribing itself hangs (no answer to it).
        heard();
        giveUp = onLost;
        pubsub.subscribe(List.of(channel), this::dispatch, onLost, failure -> onLost.run())
                .subscribe().with(
                        subscribed -> {
                            if (lost.get()) {
                                subscribed.unsubscribe().subscribe().with(ignored -> { }, failure -> { });
                                return;
                            }
                            subscriber = subscribed;
                            heard();
                            Log.infof("listening to task changes on Redis channel %s", channel);
                            resync();
                        },
                        failure -> {
                            Log.warnf("cannot subscribe to Redis channel %s yet, will retry: %s", channel,
                                    failure.getMessage());
                            onLost.run();
                        });
    }

    private void resubscribeLater() {
        if (stopped) {
            return;
        }
        Uni.createFrom().voidItem().onItem().delayIt().by(RESUBSCRIBE_DELAY)
                .subscribe().with(ignored -> subscribe());
    }

    private void heard() {
        lastHeard = System.nanoTime();
        unheard.set(0);
    }

    private void dispatch(String message) {
        heard();
        if (HEARTBEAT.equals(message)) {
            return;
        }
        if (VIEW_REBUILT.equals(message)) {
            resync();
            return;
        }
        TaskChange change;
        try {
            change = TaskChange.parse(json, message);
        } catch (Exception e) {
            Log.warnf("ignoring a malformed notice on Redis channel %s", channel);
            return;
        }
        Set<Consumer<TaskChange>> listeners = byTask.get(change.taskId());
        if (listeners != null) {
            listeners.forEach(listener -> notify(listener, change));
        }
        everyTask.forEach(listener -> notify(listener, change));
    }

    private void resync() {
        byTask.values().forEach(listeners -> listeners.forEach(listener -> notify(listener, TaskChange.RESYNC)));
        everyTask.forEach(listener -> notify(listener, TaskChange.RESYNC));
    }

    private static void notify(Consumer<TaskChange> listener, TaskChange change) {
        try {
            listener.accept(change);
        } catch (RuntimeException e) {
            Log.warnf(e, "task %s: a change listener failed", change.taskId());
        }
    }
}
