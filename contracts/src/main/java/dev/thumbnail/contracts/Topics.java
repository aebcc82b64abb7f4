package dev.thumbnail.contracts;

/**
 * Kafka topic names, shared by both services and their tests. The SmallRye channels carry the same names so that
 * the configuration reads {@code mp.messaging.outgoing.resize-requests.topic=resize-requests} without surprises.
 */
public final class Topics {

    /** The API asks for a thumbnail: {@link ResizeRequested}, keyed by task id. */
    public static final String RESIZE_REQUESTS = "resize-requests";

    /** The worker reports progress and outcome: {@link ResizeCompleted}, keyed by task id, compacted. */
    public static final String RESIZE_COMPLETIONS = "resize-completions";

    private Topics() {
    }
}
