package dev.thumbnail.contracts;

import java.util.Locale;
import java.util.UUID;

/**
 * Blob-store keys, derived from the task id only: nothing the client sends ever becomes part of a path. Both services
 * derive the same keys, which also makes redelivered requests write the thumbnail to the same place.
 */
public final class BlobKeys {

    public static final String ORIGINALS = "originals";
    public static final String THUMBNAILS = "thumbnails";

    private BlobKeys() {
    }

    public static String original(String taskId) {
        return ORIGINALS + "/" + requireTaskId(taskId);
    }

    /** @param format the thumbnail's format, {@code JPEG} or {@code PNG} */
    public static String thumbnail(String taskId, String format) {
        String extension = "JPEG".equalsIgnoreCase(format) ? "jpg" : format.toLowerCase(Locale.ROOT);
        return THUMBNAILS + "/" + requireTaskId(taskId) + "." + extension;
    }

    /** Task ids are lower-case canonical UUIDs; anything else is refused before it can reach a path. */
    public static String requireTaskId(String taskId) {
        if (!isTaskId(taskId)) {
            throw new IllegalArgumentException("not a task id: must be a UUID");
        }
        return taskId;
    }

    public static boolean isTaskId(String candidate) {
        if (candidate == null || candidate.length() != 36) {
            return false;
        }
        try {
            return UUID.fromString(candidate).toString().equals(candidate);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
