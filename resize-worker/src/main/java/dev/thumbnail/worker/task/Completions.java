package dev.thumbnail.worker.task;

import dev.thumbnail.contracts.ResizeCompleted;
import io.smallrye.mutiny.Uni;

/** Where a task's progress and outcome go: the completions topic ({@code messaging.CompletionPublisher}). */
public interface Completions {

    /** Completes when the broker has the event; fails after the send timeout. */
    Uni<Void> send(ResizeCompleted event);
}
