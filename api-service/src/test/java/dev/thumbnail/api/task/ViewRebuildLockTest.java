package dev.thumbnail.api.task;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.thumbnail.api.ApiTests;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The view's rebuild lock, held in Redis with a lock time of minutes: an instance must not wait for a lock it left
 * itself (its release failed, Redis away mid-rebuild), and must not delete another instance's.
 */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class ViewRebuildLockTest {

    @Inject
    RedisDataSource redis;

    @Inject
    ViewRebuilder view;

    @Test
    void rebuildsAtOnceUnderItsOwnLockLeftBehind() {
        ApiTests.awaitReady();
        String builtFor = redis.value(String.class).get(TaskKeys.VIEW_BUILT_FOR);

        redis.value(String.class).set(TaskKeys.VIEW_REBUILD_LOCK, view.instance(), new SetArgs().px(120_000));
        redis.value(String.class).set(TaskKeys.VIEW_BUILT_FOR, "an-earlier-redis");

        await().atMost(Duration.ofSeconds(30)).until(() -> builtFor.equals(
                redis.value(String.class).get(TaskKeys.VIEW_BUILT_FOR)));
        assertNull(redis.value(String.class).get(TaskKeys.VIEW_REBUILD_LOCK), "released after the rebuild");
        ApiTests.awaitReady();
    }

    @Test
    void waitsForAnotherInstancesLockAndLeavesItAlone() throws Exception {
        ApiTests.awaitReady();
        String builtFor = redis.value(String.class).get(TaskKeys.VIEW_BUILT_FOR);

        redis.value(String.class).set(TaskKeys.VIEW_REBUILD_LOCK, "another-instance", new SetArgs().px(120_000));
        redis.value(String.class).set(TaskKeys.VIEW_BUILT_FOR, "an-earlier-redis");
        try {
            await().atMost(Duration.ofSeconds(20)).until(view::rebuilding);
            Thread.sleep(3000); // a few of the fold's checks
            assertEquals("another-instance", redis.value(String.class).get(TaskKeys.VIEW_REBUILD_LOCK));
            assertEquals("an-earlier-redis", redis.value(String.class).get(TaskKeys.VIEW_BUILT_FOR), "not rebuilt");
        } finally {
            redis.key().del(TaskKeys.VIEW_REBUILD_LOCK);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> builtFor.equals(
                redis.value(String.class).get(TaskKeys.VIEW_BUILT_FOR)));
        ApiTests.awaitReady();
    }
}
