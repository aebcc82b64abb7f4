package dev.thumbnail.api.auth;

import static dev.thumbnail.api.AuthProfile.ADMIN_KEY;
import static dev.thumbnail.api.AuthProfile.KEY_A;
import static dev.thumbnail.api.AuthProfile.bearer;
import static dev.thumbnail.api.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.thumbnail.api.AuthProfile;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.api.ApiTests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(AuthProfile.class)
@WithTestResource(KafkaRedisTestResource.class)
class AuthenticationTest {

    @BeforeEach
    void waitUntilReady() {
        ApiTests.awaitReady();
    }

    @Test
    void refusesARequestWithoutAKeyWith401AndABearerChallenge() {
        assertProblem(given().get("/status/" + UUID.randomUUID()).then(), 401, "UNAUTHORIZED")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"thumbnail\""));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Bearer wrong-key", "Bearer key-a-but-longer", "Bearer ", "Basic a2V5LWE6",
            "key-a", "Bearer KEY-A" })
    void refusesAWrongOrMalformedCredentialWith401WithoutEchoingIt(String authorization) {
        String body = assertProblem(given().header("Authorization", authorization)
                .get("/status/" + UUID.randomUUID()).then(), 401, "UNAUTHORIZED")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"thumbnail\""))
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(body.contains("key-a") || body.contains("wrong-key"), body);
    }

    @Test
    void refusesAnUploadWithoutAKeyBeforeStoringIt() {
        assertProblem(given()
                .multiPart("image_data", "a.png", TestImages.encoded(10, 10, "png"), "image/png")
                .when().post("/create").then(), 401, "UNAUTHORIZED");
    }

    @Test
    void acceptsAnApiKeyAndAnAdminKeyAsBearerTokens() {
        for (String key : new String[] { KEY_A, ADMIN_KEY }) {
            // A well-formed but unknown task: authenticated, so the answer is the resource's own 404.
            assertProblem(given().header("Authorization", bearer(key)).get("/status/" + UUID.randomUUID()).then(),
                    404, "TASK_NOT_FOUND");
        }
        given().header("Authorization", "bearer " + KEY_A).get("/status/" + UUID.randomUUID()).then()
                .statusCode(404);
    }

    @Test
    void keepsHealthOpenApiAndSwaggerUiReachableWithoutAKey() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200).body(containsString("/create"));
        given().get("/q/swagger-ui/").then().statusCode(200).body(not(containsString("UNAUTHORIZED")));
    }
}
