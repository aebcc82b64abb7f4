package dev.thumbnail.api.storage;

import static io.restassured.RestAssured.given;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.testfixtures.Folders;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.storage.FileBucket;
import dev.thumbnail.api.ApiTests;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The directory bucket failing to write (its folders unusable, as on a full or read-only volume; the tests run as root,
 * which file modes do not stop): uploads answer 503 + Retry-After with the problem document, never 500, readiness
 * says storage DOWN, and both recover when the bucket does.
 */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class FileBucketFaultTest {

    @Test
    void answers503WhileTheBucketCannotBeWrittenAndRecovers() throws Exception {
        ApiTests.awaitReady();
        Path bucket = SharedInfrastructure.get().bucket();
        Path staging = bucket.resolve(FileBucket.STAGING);
        Path originals = bucket.resolve(BlobKeys.ORIGINALS);
        try {
            Folders.replaceWithFile(staging);
            Folders.replaceWithFile(originals);

            StorageFaults.assertUploadsRefusedAndNotReady();
        } finally {
            // Only the obstacles go: the bucket makes its folders again by itself, as on a volume replaced or wiped.
            Files.deleteIfExists(staging);
            Files.deleteIfExists(originals);
        }
        StorageFaults.assertRecovered();
    }

}
