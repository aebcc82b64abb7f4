package dev.thumbnail.contracts;

/** Kafka topic and consumer group names, shared by both services, their deployment files and their tests. */
public final class Topics {

    /** The API asks for a thumbnail: {@link ResizeRequested}, keyed by task id. */
    public static final String RESIZE_REQUESTS = "resize-requests";

    /** The worker reports progress and outcome: {@link ResizeCompleted}, keyed by task id, compacted. */
    public static final String RESIZE_COMPLETIONS = "resize-completions";

    /** The consumer group of the workers on {@link #RESIZE_REQUESTS}; KEDA scales on its lag. */
    public static final String WORKER_GROUP = "resize-worker";

    /** The consumer group of the API instances on {@link #RESIZE_COMPLETIONS}: each event is folded by one. */
    public static final String API_GROUP = "api-service";

    private Topics() {
    }
}
