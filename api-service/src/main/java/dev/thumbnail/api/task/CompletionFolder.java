package dev.thumbnail.api.task;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.thumbnail.api.metrics.TaskMetrics;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.Topics;
import io.quarkus.logging.Log;
import org.jboss.logging.MDC;
import io.smallrye.mutiny.Uni;

/**
 * Folds the workers' completion events into Redis. An event that cannot be decoded is logged and skipped (it must not
 * block its partition); Redis being away is not the event's fault, so the fold is retried until Redis is back.
 */
@ApplicationScoped
public class CompletionFolder {

    private final TaskStatusCache statuses;
    private final TaskMetrics metrics;

    public CompletionFolder(TaskStatusCache statuses, TaskMetrics metrics) {
        this.statuses = statuses;
        this.metrics = metrics;
    }

    @Incoming(Topics.RESIZE_COMPLETIONS)
    public Uni<Void> fold(ResizeCompleted event) {
        if (event == null || event.taskId() == null || event.status() == null) {
            Log.warn("skipping a completion event that could not be decoded");
            return Uni.createFrom().voidItem();
        }
        MDC.put(TaskService.TASK_ID, event.taskId());
        return statuses.fold(event)
                .onFailure().invoke(e -> Log.warnf("task %s: folding %s failed, will retry: %s", event.taskId(),
                        event.status(), e.getMessage()))
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .invoke(applied -> {
                    Log.debugf("task %s: %s %s", event.taskId(), event.status(),
                            applied ? "folded" : "ignored (not newer)");
                    if (applied && event.status().isTerminal()) {
                        metrics.completed(event);
                    }
                })
                .replaceWithVoid()
                .eventually(() -> MDC.remove(TaskService.TASK_ID));
    }
}
