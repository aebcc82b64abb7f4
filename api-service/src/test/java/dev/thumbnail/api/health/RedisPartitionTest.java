package dev.thumbnail.api.health;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.thumbnail.api.ApiTests;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.testfixtures.StallingProxy;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The task view's Redis connection goes silent without ending (a partition, or Redis' host gone without a reset): the
 * socket stays open and the kernel would give up on it only after its retransmissions, about 15 minutes. Status reads
 * answer 503 within their deadline meanwhile, and once Redis can be reached again the API gives up the silent
 * connection and opens another, instead of waiting on it for those 15 minutes.
 */
@QuarkusTest
@WithTestResource(RedisPartitionTest.RedisBehindAProxy.class)
class RedisPartitionTest {

    private static final String UNKNOWN = "00000000-0000-4000-8000-000000000000";

    @Test
    void opensAnotherConnectionWhenTheOldOneStopsAnsweringWithoutEnding() {
        // Read through the view's connection: an unknown task is a 404 from Redis' answer, once the view is whole (a
        // test class before this one may have restarted Redis empty, and the view is rebuilt first: 503 meanwhile).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/status/" + UNKNOWN).statusCode() == 404);

        RedisBehindAProxy.proxy.stall();
        long start = System.nanoTime();
        given().get("/status/" + UNKNOWN).then().statusCode(503).header("Retry-After", "5");
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 8, "answered within the store deadline");
        RedisBehindAProxy.proxy.heal();

        // The silent connection never answers now; only a new one does.
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().get("/status/" + UNKNOWN).statusCode() == 404);
    }

    /**
     * The subscription to the change channel goes silent the same way, and a silent subscription looks like a quiet
     * system: {@code ?wait=} would answer only when its time is up. Each instance's heartbeat on the channel finds it
     * out and it is made again, so a waiting client is answered as soon as its task finishes once more.
     */
    @Test
    void subscribesAgainWhenTheChangeChannelGoesSilent() {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/status/" + UNKNOWN).statusCode() == 404);
        ApiTests.awaitReady();

        RedisBehindAProxy.proxy.stall();
        given().get("/status/" + UNKNOWN).then().statusCode(503);
        RedisBehindAProxy.proxy.heal();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(RedisPartitionTest::aWaitingClientIsAnsweredWhenItsTaskFinishes);
    }

    private static boolean aWaitingClientIsAnsweredWhenItsTaskFinishes() throws Exception {
        String taskId;
        try {
            taskId = ApiTests.upload("a.png");
        } catch (AssertionError e) {
            return false; // the view's connection is not back yet: 503
        }
        ApiTests.Waited waited = ApiTests.waitWhileItSucceeds(taskId, 300);
        return waited.response().statusCode() == 200 && "SUCCESS".equals(waited.response().path("status"))
                && waited.seconds() < 5;
    }

    /** The shared broker and bucket, and the shared Redis behind a {@link StallingProxy}. */
    public static class RedisBehindAProxy extends KafkaRedisTestResource {

        static StallingProxy proxy;

        @Override
        public Map<String, String> start() {
            Map<String, String> config = new HashMap<>(super.start());
            URI redis = URI.create(SharedInfrastructure.get().redis().url());
            proxy = new StallingProxy(redis.getHost(), redis.getPort());
            config.put("quarkus.redis.hosts", "redis://127.0.0.1:" + proxy.port());
            return config;
        }

        @Override
        public void stop() {
            try {
                proxy.close();
            } catch (IOException e) {
                // the test is over
            }
        }
    }
}
