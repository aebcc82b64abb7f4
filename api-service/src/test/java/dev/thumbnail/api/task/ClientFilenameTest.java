package dev.thumbnail.api.task;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.api.ApiTests;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;

/**
 * Hostile filenames are kept only as sanitised metadata; the blob's key comes from the task id alone. NUL and other
 * control characters do not survive the HTTP client's multipart header, so {@link FilenamesTest} covers those.
 */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class ClientFilenameTest {

    private static final String BOUNDARY = "client-filename-boundary";

    @Inject
    RedisDataSource redis;

    @BeforeEach
    void waitUntilReady() {
        ApiTests.awaitReady();
    }

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("../../etc/passwd", "passwd"),
                Arguments.of("/etc/shadow", "shadow"),
                Arguments.of("..\\..\\windows\\win.ini", "win.ini"),
                Arguments.of("a".repeat(300) + ".png", "a".repeat(Filenames.MAX_CODE_POINTS)),
                Arguments.of("фото котика 🐱.png", "фото котика 🐱.png"));
    }

    @ParameterizedTest
    @MethodSource("names")
    void keepsTheSanitisedNameAsMetadataAndStoresUnderTheTaskId(String clientName, String expected)
            throws Exception {
        byte[] png = TestImages.encoded(16, 16, "png");
        long before = countFilesUnderBucket();
        String taskId = given()
                .config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(multipart(clientName, png))
                .when().post("/create")
                .then().statusCode(202)
                .extract().path("data.task_id");

        assertEquals(expected, redis.hash(String.class).hget(TaskKeys.task(taskId), TaskRecord.FILENAME));
        Path stored = SharedInfrastructure.get().bucket().resolve(BlobKeys.original(taskId));
        assertTrue(Files.isRegularFile(stored), "stored at " + stored);
        assertEquals(png.length, Files.size(stored));
        assertEquals(before + 1, countFilesUnderBucket(), "exactly one new file, the original under its task id");
    }

    /**
     * Built by hand because the HTTP client writes part headers in ASCII; browsers and curl send the filename as
     * UTF-8, as this does.
     */
    private static byte[] multipart(String filename, byte[] content) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"image_data\"; filename=\""
                + filename.replace("\"", "%22") + "\"\r\nContent-Type: image/png\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(content);
        body.write(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static long countFilesUnderBucket() throws IOException {
        try (Stream<Path> files = Files.walk(SharedInfrastructure.get().bucket())) {
            return files.filter(Files::isRegularFile)
                    .filter(path -> !path.toString().contains(".uploads"))
                    .count();
        }
    }
}
