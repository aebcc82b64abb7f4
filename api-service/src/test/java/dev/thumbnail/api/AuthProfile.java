package dev.thumbnail.api;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The one profile with authentication on and small limits (uploads, pending tasks, the dashboard's history), shared by every class that needs them, so that only one
 * extra application start happens. Each key has one job, so that tests stay independent of each other's tasks:
 * {@link #KEY_A} and {@link #KEY_B} for isolation and errors, {@link #BUSY_KEY} only for backpressure.
 */
public class AuthProfile implements QuarkusTestProfile {

    public static final String KEY_A = "key-a";
    public static final String KEY_B = "key-b";
    public static final String BUSY_KEY = "key-busy";
    public static final String ADMIN_KEY = "admin-key";
    public static final int MAX_PENDING = 2;
    public static final int MAX_BYTES = 1024 * 1024;
    /** The dashboard's bounded history, kept small to see it capped. */
    public static final int RECENT_TASKS = 2;
    public static final int TIMELINE_LENGTH = 2;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "thumbnail.auth.api-keys", String.join(",", KEY_A, KEY_B, BUSY_KEY),
                "thumbnail.auth.admin-keys", ADMIN_KEY,
                "thumbnail.upload.max-pending-per-key", Integer.toString(MAX_PENDING),
                "thumbnail.upload.max-bytes", "1M",
                "thumbnail.dashboard.recent-tasks", Integer.toString(RECENT_TASKS),
                "thumbnail.dashboard.timeline-length", Integer.toString(TIMELINE_LENGTH));
    }

    public static String bearer(String key) {
        return "Bearer " + key;
    }
}
