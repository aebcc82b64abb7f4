package dev.thumbnail.storage;

import java.io.IOException;

/**
 * A storage operation that failed. {@link #permanent()} says whether trying again can help: a store that is away,
 * full, read-only or answering 5xx is transient (uploads answer 503 + Retry-After, workers retry within the task's
 * deadline); refused credentials or a malformed request are not.
 */
public class StorageException extends IOException {

    private final boolean permanent;

    public StorageException(String message, Throwable cause, boolean permanent) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
