package dev.thumbnail.contracts;

/**
 * The lifecycle of a task. A status only ever moves forward: {@code PENDING → STARTED → SUCCESS | FAILURE}.
 */
public enum TaskStatus {
    PENDING(0),
    STARTED(1),
    SUCCESS(2),
    FAILURE(2);

    private final int rank;

    TaskStatus(int rank) {
        this.rank = rank;
    }

    /** Position in the lifecycle; both terminal states share the highest rank so neither can replace the other. */
    public int rank() {
        return rank;
    }

    public boolean isTerminal() {
        return this == SUCCESS || this == FAILURE;
    }

    /** Whether an event carrying {@code next} may replace this status. Duplicates and late events may not. */
    public boolean canMoveTo(TaskStatus next) {
        return next.rank > rank;
    }
}
