package dev.thumbnail.worker.messaging;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.TestKafka;

/** The completion events the worker published for a task, read back from the real topic as the contract's records. */
final class CompletionEvents {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    private CompletionEvents() {
    }

    /** Every event on {@code resize-completions} keyed by {@code taskId}, in order (one partition per key). */
    static List<ResizeCompleted> of(String taskId) {
        return TestKafka.readAll(Topics.RESIZE_COMPLETIONS, Duration.ofMillis(500)).stream()
                .filter(record -> taskId.equals(record.key()))
                .map(record -> parse(record.value()))
                .toList();
    }

    /** Waits (up to 30 s) until the task has at least {@code count} events; returns them all. */
    static List<ResizeCompleted> await(String taskId, int count) {
        return org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> of(taskId), events -> events.size() >= count);
    }

    private static ResizeCompleted parse(String json) {
        try {
            return JSON.readValue(json, ResizeCompleted.class);
        } catch (Exception e) {
            throw new AssertionError("not a completion event: " + json, e);
        }
    }
}
