package dev.thumbnail.api.task;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.TestKafka;
import dev.thumbnail.api.ApiTests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * {@code GET /status/{id}?wait=N}: one request instead of polling. It answers as soon as the task is terminal, or with
 * the state then when the time is up; plain polling is unchanged.
 */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class StatusWaitTest {

    @BeforeEach
    void waitUntilReady() {
        ApiTests.awaitReady();
    }

    @Test
    void answersAsSoonAsTheTaskFinishes() throws Exception {
        String taskId = ApiTests.upload("a.png");

        ApiTests.Waited waited = ApiTests.waitWhileItSucceeds(taskId, 500);

        Response response = waited.response();
        double seconds = waited.seconds();
        response.then().statusCode(200).body("status", equalTo("SUCCESS")).body("result.Thumbnail.Size[0]",
                equalTo(20));
        assertTrue(seconds < 10, "answered after " + seconds + " s, not when the task finished");
    }

    @Test
    void answersWithTheStateThenWhenTheTimeIsUp() {
        String taskId = ApiTests.upload("a.png");
        long start = System.nanoTime();

        given().get("/status/" + taskId + "?wait=1").then().statusCode(200).body("status", equalTo("PENDING"));

        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 0.9 && seconds < 5, "answered after " + seconds + " s");
    }

    @Test
    void answersATerminalTaskAtOnce() {
        String taskId = ApiTests.upload("a.png");
        TestKafka.send(Topics.RESIZE_COMPLETIONS, taskId, Completions.failure(taskId));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().get("/status/" + taskId).then().body("status", equalTo("FAILURE")));
        long start = System.nanoTime();

        given().get("/status/" + taskId + "?wait=20").then().statusCode(200).body("status", equalTo("FAILURE"));

        assertTrue((System.nanoTime() - start) / 1e9 < 2);
    }

    @Test
    void refusesAWaitThatIsNotWholeSecondsWith400() {
        String taskId = ApiTests.upload("a.png");

        for (String wait : new String[] { "abc", "-1", "1.5" }) {
            given().get("/status/" + taskId + "?wait=" + wait).then()
                    .statusCode(400)
                    .contentType("application/problem+json")
                    .body("code", equalTo("INVALID_WAIT"));
        }
    }

    @Test
    void answersAnUnknownTaskWith404WithoutWaiting() {
        given().get("/status/00000000-0000-4000-8000-000000000000?wait=20").then().statusCode(404);
    }

    @Test
    void capsTheWaitAtThirtySeconds() {
        assertEquals(Duration.ofSeconds(30), TaskResource.waitFor("600"));
        assertEquals(Duration.ofSeconds(7), TaskResource.waitFor("7"));
        assertEquals(Duration.ZERO, TaskResource.waitFor(null));
        assertEquals(Duration.ofSeconds(30), TaskResource.waitFor("9999999999"), "past an int: still the cap");
        assertEquals(Duration.ofSeconds(30), TaskResource.waitFor("0000000000000000000045"));
        assertEquals(Duration.ofSeconds(5), TaskResource.waitFor("005"));
        assertEquals(Duration.ZERO, TaskResource.waitFor("0"));
        for (String invalid : new String[] { "-1", "abc", "1.5", "+3", " " }) {
            assertEquals("INVALID_WAIT", assertThrows(dev.thumbnail.api.error.ApiException.class,
                    () -> TaskResource.waitFor(invalid), invalid).code(), invalid);
        }
    }

}
