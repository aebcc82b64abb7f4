package dev.thumbnail.worker.pipeline;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import dev.thumbnail.contracts.ErrorCodes;

/**
 * A task's processing deadline. Steps check it between each other, and decoders while they work (libjpeg-turbo
 * refuses progressive files of too many scans, the PNG decoder checks every few rows, ImageIO readers are aborted from
 * their own listeners), so one slow image cannot hold a worker thread for long past it.
 */
public final class Deadline {

    private static final BooleanSupplier NEVER = () -> false;

    private final long expiresAtNanos;
    private final Duration budget;
    private final BooleanSupplier abandoned;

    private Deadline(Duration budget, BooleanSupplier abandoned) {
        this.budget = budget;
        this.abandoned = abandoned;
        this.expiresAtNanos = System.nanoTime() + budget.toNanos();
    }

    public static Deadline after(Duration budget) {
        return new Deadline(budget, NEVER);
    }

    /**
     * Expires after {@code budget}, or as soon as {@code abandoned} says so (the worker is shutting down and hands
     * the task back); the caller tells the two apart by asking {@code abandoned} itself.
     */
    public static Deadline after(Duration budget, BooleanSupplier abandoned) {
        return new Deadline(budget, abandoned);
    }

    public static Deadline none() {
        return new Deadline(Duration.ofDays(365), NEVER);
    }

    public boolean expired() {
        return System.nanoTime() - expiresAtNanos >= 0 || abandoned.getAsBoolean();
    }

    /** Milliseconds left, 0 when expired (or abandoned). */
    public long remainingMillis() {
        return expired() ? 0 : Math.max(0, (expiresAtNanos - System.nanoTime()) / 1_000_000);
    }

    /** The time left, zero when expired (or abandoned): the bound for a storage call made for the task. */
    public Duration remaining() {
        return Duration.ofMillis(remainingMillis());
    }

    /** Throws {@code TIMEOUT} when the deadline has passed. */
    public void check() throws PipelineException {
        if (expired()) {
            throw new PipelineException(ErrorCodes.TIMEOUT,
                    "Processing took longer than the " + budget.toSeconds() + " s allowed per image.");
        }
    }
}
