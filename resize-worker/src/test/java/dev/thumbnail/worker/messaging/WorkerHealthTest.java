package dev.thumbnail.worker.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(value = KafkaRedisTestResource.class, initArgs = @ResourceArg(name = KafkaRedisTestResource.TOPICS,
        value = Topics.RESIZE_REQUESTS + "," + Topics.RESIZE_COMPLETIONS))
class WorkerHealthTest {

    @Test
    void isNotReadyButStaysLiveWhileTheBrokerIsDown() {
        awaitReadiness(200);
        SharedInfrastructure.get().kafka().stop();
        try {
            awaitReadiness(503);
            given().get("/q/health/ready").then().body("checks.find { it.name == 'kafka' }.status", equalTo("DOWN"));
            given().get("/q/health/live").then().statusCode(200);
        } finally {
            SharedInfrastructure.get().kafka().restart();
        }
        awaitReadiness(200);
    }

    private static void awaitReadiness(int status) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(status));
    }
}
