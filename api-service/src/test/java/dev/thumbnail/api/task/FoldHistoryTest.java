package dev.thumbnail.api.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.thumbnail.devinfra.KafkaRedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The fold script's history stays bounded: run on the real Redis with small caps and keys of this test's own, so
 * nothing else the application keeps is touched.
 */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class FoldHistoryTest {

    @Inject
    RedisDataSource redis;

    private final String prefix = "fold-history-test:" + UUID.randomUUID() + ":";

    @Test
    void capsTheRecentTaskIndexByCountAndTheTimelineByLength() {
        List<String> ids = List.of("t1", "t2", "t3");
        ids.forEach(id -> assertEquals(1, fold(id, "PENDING", 2, 2)));
        assertEquals(List.of("t2", "t3"), redis.sortedSet(String.class).zrange(prefix + "recent", 0, -1));

        assertEquals(1, fold("t3", "STARTED", 2, 2));
        assertEquals(1, fold("t3", "SUCCESS", 2, 2));
        List<String> timeline = redis.list(String.class).lrange(prefix + "t3:events", 0, -1);
        assertEquals(2, timeline.size(), timeline.toString());
        assertTrue(timeline.get(0).contains("\"SUCCESS\"") && timeline.get(1).contains("\"STARTED\""), timeline.toString());
    }

    @Test
    void leavesHistoryAndChannelAloneWhenAChangeIsNotApplied() {
        assertEquals(1, fold("t1", "PENDING", 10, 10));
        assertEquals(1, fold("t1", "SUCCESS", 10, 10));
        assertEquals(0, fold("t1", "STARTED", 10, 10));
        assertEquals(2, redis.list(String.class).llen(prefix + "t1:events"));
    }

    private int fold(String id, String status, int recentCap, int timelineLength) {
        List<String> args = new ArrayList<>(List.of(TaskStatusCache.FOLD_SCRIPT, "6",
                prefix + id, prefix + id + ":events", prefix + "recent", prefix + "workers",
                prefix + "done", prefix + "pending",
                status, "60000", "100", id, prefix + "channel",
                Integer.toString(recentCap), "3600000", Integer.toString(timelineLength), "60000", "60000",
                "owner", "test"));
        return redis.execute("EVAL", args.toArray(String[]::new)).toInteger();
    }
}
