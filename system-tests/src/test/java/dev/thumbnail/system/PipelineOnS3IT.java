package dev.thumbnail.system;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.testfixtures.TestImages;
import io.restassured.RestAssured;

/** {@link PipelineIT} with both services on an S3 bucket (S3Proxy on loopback) instead of a shared directory. */
class PipelineOnS3IT extends PipelineIT {

    @BeforeAll
    static void startTheSystem() {
        RestAssured.baseURI = RunningSystem.onS3().api.baseUrl();
    }

    @Test
    void writesNothingToTheDirectoryBucket() throws Exception {
        String taskId = given().multiPart("image_data", "a.png", TestImages.encoded(300, 200, "png"), "image/png")
                .when().post("/create").then().statusCode(202).extract().path("data.task_id");
        awaitTerminal(taskId);
        Path directory = SharedInfrastructure.get().bucket().resolve("originals").resolve(taskId);
        assertEquals(false, Files.exists(directory), "the original went to S3, not to " + directory);
        given().get("/thumbnail/" + taskId).then().statusCode(200);
    }
}
