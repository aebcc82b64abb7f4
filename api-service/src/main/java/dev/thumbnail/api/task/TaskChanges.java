package dev.thumbnail.api.task;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
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

/**
 * This instance's one subscription to the change channel the fold script publishes on, fanned out to the listeners of
 * each task and to those of every task. Changes folded by any API instance arrive here the same way, including this
 * instance's own: there is no in-process shortcut, so one instance behaves exactly like several. When the
 * subscription's connection ends (Redis restarted, network) it is made again, and every listener is told to re-read,
 * since notices published in between are lost.
 */
@ApplicationScoped
public class TaskChanges {

    private static final Duration RESUBSCRIBE_DELAY = Duration.ofSeconds(1);

    private final ReactivePubSubCommands<String> pubsub;
    private final ObjectMapper json;
    private final String channel;
    private final Map<String, Set<Consumer<TaskChange>>> byTask = new ConcurrentHashMap<>();
    private final Set<Consumer<TaskChange>> everyTask = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;
    private volatile ReactivePubSubCommands.ReactiveRedisSubscriber subscriber;

    public TaskChanges(ReactiveRedisDataSource redis, ObjectMapper json, ApiConfig config) {
        this.pubsub = redis.pubsub(String.class);
        this.json = json;
        this.channel = config.events().channel();
    }

    void start(@Observes StartupEvent event) {
        subscribe();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
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
                subscriber = null;
                resubscribeLater();
            }
        };
        pubsub.subscribe(List.of(channel), this::dispatch, onLost, failure -> onLost.run())
                .subscribe().with(
                        subscribed -> {
                            subscriber = subscribed;
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

    private void dispatch(String message) {
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
