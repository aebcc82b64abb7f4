package dev.thumbnail.api.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.thumbnail.api.ApiTests;
import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The rollback of a refused upload ({@code task-discard.lua}) against the real Redis, in the orders the network can
 * give it: before its create (the create delayed on a connection the API gave up, the rollback sent on a new one),
 * and after the task's outcome was folded (a request that reached the log although its send timed out).
 */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class TaskRollbackTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    TaskStore store;

    @Inject
    RedisDataSource redis;

    private String owner;

    @BeforeEach
    void viewReady() {
        owner = "rollback-" + UUID.randomUUID();
        ApiTests.awaitReady();
    }

    @Test
    void aCreateThatArrivesAfterItsRollbackMakesNothing() {
        NewTask task = newTask();
        store.discard(task).await().atMost(WAIT);

        assertEquals(TaskStore.Created.ALREADY_THERE, store.create(task, 1000).await().atMost(WAIT));
        assertTrue(store.find(task.taskId()).await().atMost(WAIT).isEmpty(), "no entry for the refused upload");
        assertEquals(List.of(), redis.key().keys(TaskKeys.task(task.taskId()) + "*"), "nor its timeline");
        assertEquals(0, pending(), "no slot taken");
    }

    @Test
    void aRollbackAfterTheOutcomeWasFoldedGivesNoSlotBackTwice() {
        NewTask refused = newTask();
        NewTask other = newTask();
        assertEquals(TaskStore.Created.ACCEPTED, store.create(refused, 1000).await().atMost(WAIT));
        assertEquals(TaskStore.Created.ACCEPTED, store.create(other, 1000).await().atMost(WAIT));
        assertEquals(2, pending());

        assertEquals(List.of(TaskStore.Folded.APPLIED), store.fold(List.of(ResizeCompleted.failure(refused.taskId(),
                null, new ResizeCompleted.ErrorInfo("CORRUPT_IMAGE", "The image data is truncated."), "test-worker",
                Instant.now(), Instant.now()))).await().atMost(WAIT));
        assertEquals(1, pending(), "the outcome gave the refused task's slot back");

        store.discard(refused).await().atMost(WAIT);
        store.discard(refused).await().atMost(WAIT);
        assertTrue(store.find(refused.taskId()).await().atMost(WAIT).isEmpty(), "the refused task is gone");
        assertEquals(1, pending(), "still the other task's slot");

        store.discard(other).await().atMost(WAIT);
        assertEquals(0, pending());
    }

    private NewTask newTask() {
        String taskId = UUID.randomUUID().toString();
        return new NewTask(taskId, owner, "a.png", "image/png", 123, BlobKeys.original(taskId), Instant.now());
    }

    private long pending() {
        String count = redis.value(String.class).get(TaskKeys.pending(owner));
        return count == null ? 0 : Long.parseLong(count);
    }
}
