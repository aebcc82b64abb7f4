package dev.thumbnail.worker.pipeline;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.thumbnail.contracts.ErrorCodes;

/**
 * A task's processing deadline. Steps check it between each other, and a decoder in progress is aborted when it passes
 * ({@link javax.imageio.ImageReader#abort()}), so one slow image cannot hold a worker thread for long.
 */
public final class Deadline {

    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "deadline-timer");
        thread.setDaemon(true);
        return thread;
    });

    private final long expiresAtNanos;
    private final Duration budget;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.expiresAtNanos = System.nanoTime() + budget.toNanos();
    }

    public static Deadline after(Duration budget) {
        return new Deadline(budget);
    }

    public static Deadline none() {
        return new Deadline(Duration.ofDays(365));
    }

    public boolean expired() {
        return System.nanoTime() - expiresAtNanos >= 0;
    }

    /** Throws {@code TIMEOUT} when the deadline has passed. */
    public void check() throws PipelineException {
        if (expired()) {
            throw new PipelineException(ErrorCodes.TIMEOUT,
                    "Processing took longer than the " + budget.toSeconds() + " s allowed per image.");
        }
    }

    /** Runs {@code action} when the deadline passes, unless the returned handle is closed first. */
    public Cancellable onExpiry(Runnable action) {
        long delay = expiresAtNanos - System.nanoTime();
        if (delay <= 0) {
            action.run();
            return () -> {
            };
        }
        ScheduledFuture<?> future = TIMER.schedule(action, delay, TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    /** A scheduled action that can be called off. */
    public interface Cancellable extends AutoCloseable {
        @Override
        void close();
    }
}
