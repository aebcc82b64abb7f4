package dev.thumbnail.worker.task;

import java.util.concurrent.CompletableFuture;

import dev.thumbnail.contracts.ResizeCompleted;

/** Where a task's progress and outcome go: the completions topic ({@code messaging.CompletionPublisher}). */
public interface Completions {

    /** Completes when the broker has the event; fails after the send timeout at the latest. */
    CompletableFuture<Void> send(ResizeCompleted event);
}
