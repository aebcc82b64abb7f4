package dev.thumbnail.api.task;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.thumbnail.api.ApiTests;
import dev.thumbnail.api.SseStream;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.TestKafka;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A rebuild of the view folds outcomes without announcing them; the followers of a task must still see its outcome.
 * The view is made to look as if from an earlier Redis while "another instance" holds the rebuild, so the live fold
 * waits and the outcome sent meanwhile is applied by this instance's rebuild once the lock is gone, never announced
 * by the live fold (which then finds it applied). Before the rebuild told the instances so, the stream stayed open on
 * keep-alives and never sent SUCCESS.
 */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class EventsAfterRebuildTest {

    @TestHTTPResource("/")
    URI root;

    @Inject
    RedisDataSource redis;

    @Inject
    ViewRebuilder view;

    @Test
    void aFollowerSeesTheOutcomeThatARebuildApplied() throws Exception {
        ApiTests.awaitReady();
        String taskId = ApiTests.upload("followed.png");
        try (SseStream stream = SseStream.open(root.resolve("/status/" + taskId + "/events"), null)) {
            TaskEventsTest.assertState(stream.next(), taskId, "PENDING");

            redis.value(String.class).set(TaskKeys.VIEW_REBUILD_LOCK, "another-instance", new SetArgs().px(120_000));
            redis.value(String.class).set(TaskKeys.VIEW_BUILT_FOR, "an-earlier-redis");
            try {
                await().atMost(Duration.ofSeconds(20)).until(view::rebuilding);
                TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.success(taskId));
                Thread.sleep(1000);
            } finally {
                // This instance rebuilds now, and folds the outcome on the way.
                redis.key().del(TaskKeys.VIEW_REBUILD_LOCK);
            }

            TaskEventsTest.assertState(stream.next(), taskId, "SUCCESS");
            stream.assertEnds();
        }
        ApiTests.awaitReady();
    }
}
