package dev.thumbnail.api.task;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import dev.thumbnail.api.ApiTests;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.TestKafka;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * While the view is being rebuilt (here: by "another instance", whose lock is set by hand), the fold waits with its
 * partitions paused. A partition given to it by a rebalance during that wait is not paused yet, and the poll that
 * brings the assignment can also bring its records: they must be read again once the wait is over, not skipped (they
 * were, and their tasks stayed PENDING while the worker had finished them).
 */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class FoldWaitRebalanceTest {

    private static final int TASKS = 24;

    @Inject
    RedisDataSource redis;

    @Test
    void foldsTheEventsOfAPartitionAssignedWhileTheFoldWaitsForTheView() throws Exception {
        ApiTests.awaitReady();
        String builtFor = redis.value(String.class).get(TaskKeys.VIEW_BUILT_FOR);
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < TASKS; i++) {
            tasks.add(ApiTests.upload("hyperbolic.png"));
        }

        // Another instance "rebuilds": this one's fold waits, polling with its partitions paused.
        redis.value(String.class).set(TaskKeys.VIEW_REBUILD_LOCK, "another-instance", new SetArgs().px(120_000));
        redis.key().del(TaskKeys.VIEW_BUILT_FOR);
        try {
            Set<TopicPartition> moved;
            try (KafkaConsumer<String, String> other = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap(),
                    ConsumerConfig.GROUP_ID_CONFIG, Topics.API_GROUP,
                    ConsumerConfig.CLIENT_ID_CONFIG, "another-api-instance",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName()),
                    new StringDeserializer(), new StringDeserializer())) {
                other.subscribe(List.of(Topics.RESIZE_COMPLETIONS));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (other.assignment().isEmpty() && System.nanoTime() < deadline) {
                    other.poll(Duration.ofMillis(200)); // nothing to read: the group's offsets are at the end
                }
                moved = Set.copyOf(other.assignment());
                assertFalse(moved.isEmpty(), "the second member got partitions");
                // The outcomes arrive while the other member holds some partitions and reads nothing more.
                for (String taskId : tasks) {
                    TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.success(taskId));
                }
            }
            // It left: the waiting fold's next paused poll takes its partitions back, with their records.
            awaitSoleMemberOwning(moved);
            Thread.sleep(2000);
        } finally {
            redis.value(String.class).set(TaskKeys.VIEW_BUILT_FOR, builtFor);
            redis.key().del(TaskKeys.VIEW_REBUILD_LOCK);
        }

        for (String taskId : tasks) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    given().get("/status/" + taskId).then().statusCode(200).body("status", equalTo("SUCCESS")));
        }
    }

    private static void awaitSoleMemberOwning(Set<TopicPartition> moved) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrap()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(Topics.API_GROUP))
                        .describedGroups().get(Topics.API_GROUP).get();
                List<MemberDescription> members = List.copyOf(group.members());
                return members.size() == 1
                        && members.get(0).assignment().topicPartitions().containsAll(moved);
            });
        }
    }
}
