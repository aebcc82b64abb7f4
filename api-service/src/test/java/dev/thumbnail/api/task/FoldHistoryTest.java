package dev.thumbnail.api.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.thumbnail.api.AuthProfile;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The task store's scripts on the real Redis: the dashboard's history stays bounded (the profile's small caps), a
 * change that is not newer leaves it alone, and a completion never creates a task of its own.
 */
@QuarkusTest
@TestProfile(AuthProfile.class)
@WithTestResource(KafkaRedisTestResource.class)
class FoldHistoryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Inject
    TaskStore store;

    @Inject
    RedisDataSource redis;

    @Test
    void capsTheRecentTaskIndexByCountAndTheTimelineByLength() {
        List<String> ids = List.of(newId(), newId(), newId());
        for (String id : ids) {
            assertEquals(TaskStore.Created.ACCEPTED, create(id));
            // The index is ordered by creation time in ms (Redis' clock): tasks made within one millisecond tie and
            // sort by id, so each is made in a millisecond of its own (on a fast machine two shared one).
            sleepPastTheMillisecond();
        }
        assertEquals(ids.subList(1, 3), redis.sortedSet(String.class).zrange(TaskKeys.RECENT_TASKS, 0, -1));

        String last = ids.get(2);
        assertEquals(TaskStore.Folded.APPLIED, fold(ResizeCompleted.started(last, "w", Instant.now())));
        assertEquals(TaskStore.Folded.APPLIED, fold(success(last)));
        List<String> timeline = redis.list(String.class).lrange(TaskKeys.timeline(last), 0, -1);
        assertEquals(AuthProfile.TIMELINE_LENGTH, timeline.size(), timeline.toString());
        assertTrue(timeline.get(0).contains("\"SUCCESS\"") && timeline.get(1).contains("\"STARTED\""),
                timeline.toString());
    }

    @Test
    void leavesHistoryAloneWhenAChangeIsNotNewer() {
        String id = newId();
        create(id);
        assertEquals(TaskStore.Folded.APPLIED, fold(success(id)));

        assertEquals(TaskStore.Folded.NOT_NEWER, fold(ResizeCompleted.started(id, "w", Instant.now())));
        assertEquals(TaskStore.Folded.NOT_NEWER, fold(success(id)));
        assertEquals(2, redis.list(String.class).llen(TaskKeys.timeline(id)));
    }

    @Test
    void neverCreatesATaskFromACompletionAlone() {
        String id = newId();

        assertEquals(TaskStore.Folded.UNKNOWN_TASK, fold(success(id)));

        assertFalse(redis.key().exists(TaskKeys.task(id)));
        assertFalse(redis.key().exists(TaskKeys.timeline(id)));
    }

    @Test
    void createsATaskOnceWhateverHappensToItLater() {
        String id = newId();
        assertEquals(TaskStore.Created.ACCEPTED, create(id));
        fold(success(id));

        assertEquals(TaskStore.Created.ALREADY_THERE, create(id));
        assertEquals("SUCCESS", redis.hash(String.class).hget(TaskKeys.task(id), TaskRecord.STATUS));
    }

    @Test
    void showsWhenATaskStartedThatEndedBeforeItsStartedEvent() throws Exception {
        String id = newId();
        create(id);
        Instant startedAt = Instant.parse("2026-01-01T00:00:00.125Z");

        fold(ResizeCompleted.success(id, new ResizeCompleted.ImageInfo("originals/" + id, 20, 20, "PNG"),
                new ResizeCompleted.ThumbnailInfo("thumbnails/" + id + ".png", 20, 20, "PNG", 99), "w", startedAt,
                Instant.now()));

        List<String> timeline = redis.list(String.class).lrange(TaskKeys.timeline(id), 0, 1);
        assertTrue(timeline.get(0).contains("\"SUCCESS\""), timeline.toString());
        assertTrue(timeline.get(1).contains("\"STARTED\"") && timeline.get(1).contains("1767225600125"),
                timeline.toString());
    }

    @Test
    void foldsABatchOnARedisThatHasForgottenTheScripts() {
        List<String> ids = List.of(newId(), newId(), newId());
        ids.forEach(this::create);
        redis.execute("SCRIPT", "FLUSH");

        List<TaskStore.Folded> outcomes = store.fold(ids.stream().map(FoldHistoryTest::success).toList())
                .await().atMost(TIMEOUT);

        assertEquals(List.of(TaskStore.Folded.APPLIED, TaskStore.Folded.APPLIED, TaskStore.Folded.APPLIED), outcomes);
    }

    private TaskStore.Created create(String id) {
        NewTask task = new NewTask(id, "fold-history-test", "a.png", "image/png", 10, "originals/" + id,
                Instant.now());
        return store.create(task, 1000).await().atMost(TIMEOUT);
    }

    private TaskStore.Folded fold(ResizeCompleted event) {
        return store.fold(List.of(event)).await().atMost(TIMEOUT).get(0);
    }

    private static ResizeCompleted success(String id) {
        return ResizeCompleted.success(id, new ResizeCompleted.ImageInfo("originals/" + id, 20, 20, "PNG"),
                new ResizeCompleted.ThumbnailInfo("thumbnails/" + id + ".png", 20, 20, "PNG", 99), "w", Instant.now(),
                Instant.now());
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static void sleepPastTheMillisecond() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
