package dev.thumbnail.api.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.thumbnail.api.metrics.TaskMetrics;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.Topics;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Folds the workers' completion events into the task view, a poll's worth at a time in one Redis round trip (the
 * channel is consumed in batches). An event that cannot be decoded is logged and skipped (it must not block its
 * partition); Redis being away is not the events' fault, so the fold is retried until Redis is back. An event for a task
 * the view does not hold is not folded: it is a task whose upload was refused, or whose entry the view has lost and a
 * rebuild restores ({@link ViewRebuilder}).
 */
@ApplicationScoped
public class CompletionFolder {

    private final TaskStore store;
    private final TaskMetrics metrics;

    public CompletionFolder(TaskStore store, TaskMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    @Incoming(Topics.RESIZE_COMPLETIONS)
    public Uni<Void> fold(List<ResizeCompleted> batch) {
        List<ResizeCompleted> events = new ArrayList<>(batch.size());
        for (ResizeCompleted event : batch) {
            if (event == null || event.taskId() == null || event.status() == null) {
                Log.warn("skipping a completion event that could not be decoded");
            } else {
                events.add(event);
            }
        }
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return store.fold(events)
                .onFailure().invoke(e -> Log.warnf("folding %d completion events failed, will retry: %s",
                        events.size(), e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .invoke(outcomes -> count(events, outcomes))
                .replaceWithVoid();
    }

    private void count(List<ResizeCompleted> events, List<TaskStore.Folded> outcomes) {
        for (int i = 0; i < events.size(); i++) {
            ResizeCompleted event = events.get(i);
            TaskStore.Folded outcome = outcomes.get(i);
            if (outcome == TaskStore.Folded.APPLIED && event.status().isTerminal()) {
                metrics.completed(event);
            } else if (outcome == TaskStore.Folded.UNKNOWN_TASK) {
                metrics.unknownTask();
                Log.debugf("task %s: %s not folded, the view holds no such task", event.taskId(), event.status());
            }
        }
    }
}
