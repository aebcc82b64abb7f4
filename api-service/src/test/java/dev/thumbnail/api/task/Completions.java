package dev.thumbnail.api.task;

/** Completion events as the worker writes them to resize-completions, for tests that play the worker's side. */
public final class Completions {

    public static final String WORKER = "test-worker";

    private Completions() {
    }

    public static String started(String taskId) {
        return """
                {"version":1,"taskId":"%s","status":"STARTED","worker":"%s","startedAt":"2026-01-01T00:00:00Z"}
                """.formatted(taskId, WORKER);
    }

    public static String success(String taskId) {
        return """
                {"version":1,"taskId":"%1$s","status":"SUCCESS","worker":"%2$s",
                 "original":{"key":"originals/%1$s","width":20,"height":20,"format":"PNG"},
                 "thumbnail":{"key":"thumbnails/%1$s.png","width":20,"height":20,"format":"PNG","sizeBytes":99},
                 "startedAt":"2026-01-01T00:00:00Z","finishedAt":"2026-01-01T00:00:01.250Z"}
                """.formatted(taskId, WORKER);
    }

    public static String failure(String taskId) {
        return """
                {"version":1,"taskId":"%s","status":"FAILURE","worker":"%s",
                 "error":{"code":"CORRUPT_IMAGE","message":"The image data is truncated."},
                 "startedAt":"2026-01-01T00:00:00Z","finishedAt":"2026-01-01T00:00:01Z"}
                """.formatted(taskId, WORKER);
    }
}
