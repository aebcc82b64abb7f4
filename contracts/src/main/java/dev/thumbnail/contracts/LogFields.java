package dev.thumbnail.contracts;

/**
 * The MDC keys both services put on their log lines, so that one query finds a task's lines in the API's and the
 * workers' logs alike: the console pattern prints them ({@code %X{taskId}}) and JSON logs carry them as fields.
 */
public final class LogFields {

    /** The task a log line is about, on every line written while a task is accepted or processed. */
    public static final String TASK_ID = "taskId";

    private LogFields() {
    }
}
