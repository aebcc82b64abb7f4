package dev.thumbnail.api.error;

import static dev.thumbnail.api.AuthProfile.KEY_A;
import static dev.thumbnail.api.AuthProfile.MAX_BYTES;
import static dev.thumbnail.api.AuthProfile.bearer;
import static dev.thumbnail.api.ProblemAssertions.assertNoLeak;
import static dev.thumbnail.api.ProblemAssertions.assertProblem;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.thumbnail.api.AuthProfile;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.api.ApiTests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/** Every failure is a problem document with a stable code, never HTML, a stack trace or a class name. */
@QuarkusTest
@TestProfile(AuthProfile.class)
@WithTestResource(KafkaRedisTestResource.class)
class ErrorResponsesTest {

    private static final String BOUNDARY = "thumbnail-test-boundary";

    @BeforeEach
    void waitUntilReady() {
        ApiTests.awaitReady();
    }

    @Test
    void refusesABodyDeclaredOverTheLimitWith413BeforeItIsSent() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(RestAssured.port, "POST /create HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Authorization: " + bearer(KEY_A) + "\r\n"
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                + "Content-Length: " + (MAX_BYTES + 1) + "\r\n\r\n", out -> {
                    // the body is never sent: the answer must come without it
                });

        assertEquals(413, answer.status());
        assertEquals("application/problem+json", answer.headers().get("content-type"));
        assertEquals("close", answer.headers().get("connection"));
        assertTrue(answer.body().contains("\"code\":\"PAYLOAD_TOO_LARGE\""), answer.body());
        assertTrue(answer.body().contains("\"status\":413"), answer.body());
        assertNoLeak(answer.body());
        assertTrue(answer.closedAfterwards(), "the connection is closed, not left waiting for the body");
    }

    @Test
    void answersAClientThatSendsThe30MegabyteBodyBeforeReading() throws Exception {
        long size = 30L * 1024 * 1024;
        String parts = "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image_data\"; filename=\"big.jpg\""
                + "\r\nContent-Type: image/jpeg\r\n\r\n";
        String head = "POST /create HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Authorization: " + bearer(KEY_A) + "\r\n"
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n";

        // Content-Length declared: refused at once, the body read and discarded, then the answer is there to read.
        RawHttp.Answer declared = RawHttp.sendAllThenRead(RestAssured.port,
                head + "Content-Length: " + size + "\r\n\r\n" + parts, size - parts.length());
        assertEquals(413, declared.status(), declared.body());
        assertTrue(declared.body().contains("\"code\":\"PAYLOAD_TOO_LARGE\""), declared.body());

        // Chunked: refused when the reader reaches the limit, the rest discarded the same way.
        String chunked = head + "Transfer-Encoding: chunked\r\n\r\n";
        RawHttp.Answer counted = RawHttp.exchange(RestAssured.port, chunked, out -> {
            RawHttp.chunk(out, parts.getBytes(StandardCharsets.ISO_8859_1));
            byte[] block = new byte[64 * 1024];
            for (long sent = 0; sent < size; sent += block.length) {
                RawHttp.chunk(out, block); // throws on a reset: the test then fails on the missing answer
            }
            RawHttp.chunk(out, new byte[0]);
        }, true);
        assertEquals(413, counted.status(), counted.body());
        assertTrue(counted.body().contains("\"code\":\"PAYLOAD_TOO_LARGE\""), counted.body());
    }

    @Test
    void refusesAChunkedUploadThatGrowsOverTheLimitWith413() throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(RestAssured.port, "POST /create HTTP/1.1\r\n"
                + "Host: localhost\r\n"
                + "Authorization: " + bearer(KEY_A) + "\r\n"
                + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", out -> {
                    RawHttp.chunk(out, ("--" + BOUNDARY + "\r\n"
                            + "Content-Disposition: form-data; name=\"image_data\"; filename=\"big.png\"\r\n"
                            + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    byte[] block = new byte[64 * 1024];
                    Arrays.fill(block, (byte) 'x');
                    for (int sent = 0; sent < 2 * MAX_BYTES; sent += block.length) {
                        RawHttp.chunk(out, block);
                    }
                    RawHttp.chunk(out, ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    RawHttp.chunk(out, new byte[0]);
                });

        assertEquals(413, answer.status(), answer.body());
        assertEquals("application/problem+json", answer.headers().get("content-type"));
        assertEquals("close", answer.headers().get("connection"));
        assertTrue(answer.body().contains("\"code\":\"PAYLOAD_TOO_LARGE\""), answer.body());
        assertNoLeak(answer.body());
        assertTrue(answer.closedAfterwards(), "the connection is closed, not left waiting for the rest");
    }

    @Test
    void acceptsAnUploadJustUnderTheLimit() {
        given().header("Authorization", bearer(KEY_A))
                .multiPart("image_data", "small.png", TestImages.encoded(40, 40, "png"), "image/png")
                .when().post("/create").then().statusCode(202);
    }

    @Test
    void refusesABodyThatIsNotMultipartWith415() {
        assertProblem(given().header("Authorization", bearer(KEY_A))
                .contentType("application/json").body("{\"image_data\":\"not a file\"}")
                .when().post("/create").then(), 415, "UNSUPPORTED_MEDIA_TYPE");
        assertProblem(given().header("Authorization", bearer(KEY_A))
                .contentType("image/png").body(TestImages.encoded(10, 10, "png"))
                .when().post("/create").then(), 415, "UNSUPPORTED_MEDIA_TYPE");
    }

    @Test
    void answersAWrongMethodWith405NamingTheMethodsThePathTakes() {
        // RFC 9110 section 15.5.6: a 405 carries Allow.
        assertProblem(given().header("Authorization", bearer(KEY_A)).get("/create").then(), 405,
                "METHOD_NOT_ALLOWED").header("Allow", equalTo("OPTIONS, POST"));
        assertProblem(given().header("Authorization", bearer(KEY_A)).delete("/status/" + UUID.randomUUID()).then(),
                405, "METHOD_NOT_ALLOWED").header("Allow", equalTo("GET, HEAD, OPTIONS"));
        assertProblem(given().header("Authorization", bearer(KEY_A)).post("/thumbnail/" + UUID.randomUUID()).then(),
                405, "METHOD_NOT_ALLOWED").header("Allow", equalTo("GET, HEAD, OPTIONS"));
        // Routed on the decoded path, so told that path's methods.
        assertProblem(given().urlEncodingEnabled(false).header("Authorization", bearer(KEY_A)).get("/cre%61te")
                .then(), 405, "METHOD_NOT_ALLOWED").header("Allow", equalTo("OPTIONS, POST"));
    }

    @Test
    void answersOptionsWithTheMethodsOfThatPath() {
        // Quarkus REST's own answer named every method of the resource class, whatever the path.
        given().options("/create").then().statusCode(204).header("Allow", equalTo("OPTIONS, POST"));
        given().options("/status/" + UUID.randomUUID()).then().statusCode(204)
                .header("Allow", equalTo("GET, HEAD, OPTIONS"));
        given().options("/status/" + UUID.randomUUID() + "/events").then().statusCode(204)
                .header("Allow", equalTo("GET, HEAD, OPTIONS"));
        // One trailing slash is the same path to Quarkus REST's routing.
        given().options("/create/").then().statusCode(204).header("Allow", equalTo("OPTIONS, POST"));
    }

    @Test
    void answersAnUnknownPathWith404WithOrWithoutAKey() {
        assertProblem(given().get("/no/such/path").then(), 404, "NOT_FOUND");
        assertProblem(given().header("Authorization", bearer(KEY_A)).get("/no/such/path").then(), 404, "NOT_FOUND");
        assertProblem(given().accept("text/html").get("/index.html").then(), 404, "NOT_FOUND");
        assertProblem(given().get("/q/no-such-thing").then(), 404, "NOT_FOUND");
    }

    @Test
    void answersAMalformedTaskIdWith404() {
        assertProblem(given().header("Authorization", bearer(KEY_A)).get("/status/not-a-uuid").then(), 404,
                "TASK_NOT_FOUND");
        assertProblem(given().header("Authorization", bearer(KEY_A)).get("/thumbnail/..%2F..%2Fetc%2Fpasswd").then(),
                404, "TASK_NOT_FOUND");
    }
}
