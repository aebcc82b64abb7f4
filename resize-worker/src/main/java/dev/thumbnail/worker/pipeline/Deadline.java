package dev.thumbnail.worker.pipeline;

import java.time.Duration;

import dev.thumbnail.contracts.ErrorCodes;

/**
 * A task's processing deadline. Steps check it between each other, and decoders while they work (libjpeg-turbo
 * refuses progressive files of too many scans, the PNG decoder checks every few rows, ImageIO readers are aborted from
 * their own listeners), so one slow image cannot hold a worker thread for long past it.
 */
public final class Deadline {

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
}
