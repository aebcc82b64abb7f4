package dev.thumbnail.api.task;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.api.ApiTests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Multipart bodies as real clients send them, written here byte by byte: the image is the {@code image_data} part that
 * is a file, whatever text field of the same name comes before or after it (issue 12); a field holding an image's
 * bytes without a filename ({@code curl -F image_data=<photo.jpg}) is an image too; a broken body is a 400.
 */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class MultipartFormTest {

    private static final String BOUNDARY = "----test-boundary-7MA4YWxkTrZu0gW";
    private static final byte[] PNG = TestImages.encoded(60, 40, "png");

    @BeforeEach
    void waitUntilReady() {
        ApiTests.awaitReady();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "text field then file  | text:image_data:quadrants.png | file:image_data:a.png         |",
            "file then text field  | file:image_data:a.png         | text:image_data:quadrants.png |",
            "text, file, text      | text:image_data:first         | file:image_data:a.png         | text:image_data:last",
            "another file first    | file:other:b.png              | file:image_data:a.png         |",
    })
    void takesTheFilePartOfARepeatedField(String order, String first, String second, String third) {
        String taskId = given()
                .contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(body(first, second, third))
                .when().post("/create")
                .then().statusCode(202)
                .extract().path("data.task_id");

        given().get("/status/" + taskId).then().statusCode(200).body("status", equalTo("PENDING"));
    }

    @Test
    void takesAFieldHoldingAnImagesBytesWithoutAFilename() {
        given()
                .contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(body("bytes:image_data", null, null))
                .when().post("/create")
                .then().statusCode(202);
    }

    @Test
    void refusesATextFieldThatIsNotAnImageWith415() {
        given()
                .contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(body("text:image_data:hello", null, null))
                .when().post("/create")
                .then().statusCode(415).body("code", equalTo("UNSUPPORTED_FORMAT"));
    }

    @Test
    void refusesABodyWithoutItsClosingBoundaryWith400() {
        byte[] body = body("file:image_data:a.png", null, null);
        byte[] cut = java.util.Arrays.copyOf(body, body.length - BOUNDARY.length() - 8);

        given()
                .contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(cut)
                .when().post("/create")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("code", equalTo("MALFORMED_MULTIPART"))
                .body("detail", equalTo("The multipart/form-data body is malformed: the body ends inside a part, "
                        + "without its closing boundary."));
    }

    @Test
    void refusesAMultipartTypeWithoutABoundaryWith400() {
        given()
                .contentType("multipart/form-data")
                .body("not really a form".getBytes(StandardCharsets.US_ASCII))
                .when().post("/create")
                .then().statusCode(400)
                .body("code", equalTo("MALFORMED_MULTIPART"))
                .body("detail", equalTo("The multipart/form-data body is malformed: the multipart body has no valid "
                        + "boundary."));
    }

    /** Parts given as {@code kind:name[:value]}: a file part (the PNG), a text field, or a field with the PNG's bytes. */
    private static byte[] body(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : parts) {
            if (part == null) {
                continue;
            }
            String[] fields = part.strip().split(":", 3);
            write(out, "--" + BOUNDARY + "\r\n");
            switch (fields[0]) {
                case "file" -> {
                    write(out, "Content-Disposition: form-data; name=\"" + fields[1] + "\"; filename=\"" + fields[2]
                            + "\"\r\nContent-Type: image/png\r\n\r\n");
                    out.writeBytes(PNG);
                }
                case "bytes" -> {
                    write(out, "Content-Disposition: form-data; name=\"" + fields[1] + "\"\r\n\r\n");
                    out.writeBytes(PNG);
                }
                default -> write(out, "Content-Disposition: form-data; name=\"" + fields[1] + "\"\r\n\r\n"
                        + fields[2]);
            }
            write(out, "\r\n");
        }
        write(out, "--" + BOUNDARY + "--\r\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void writesTheTestBodiesAsTheirDescriptionsSay() {
        String text = new String(body("text:image_data:x", null, null), StandardCharsets.UTF_8);
        assertEquals("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image_data\"\r\n\r\nx\r\n--"
                + BOUNDARY + "--\r\n", text);
    }
}
