package dev.thumbnail.api.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.storage.Bucket;
import dev.thumbnail.storage.FileBucket;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class BlobSweeperTest {

    @Inject
    BlobSweeper sweeper;

    @Inject
    Bucket bucket;

    @Test
    void deletesBlobsOlderThanTheRetentionAndKeepsTheRest() throws Exception {
        Instant now = Instant.now();
        Path oldOriginal = blob(BlobKeys.original(UUID.randomUUID().toString()), now.minus(Duration.ofDays(8)));
        Path oldThumbnail = blob(BlobKeys.thumbnail(UUID.randomUUID().toString(), "PNG"),
                now.minus(Duration.ofDays(7).plusMinutes(1)));
        Path fresh = blob(BlobKeys.original(UUID.randomUUID().toString()), now.minus(Duration.ofDays(6)));

        int deleted = sweeper.sweep(now);

        assertTrue(deleted >= 2, "deleted " + deleted);
        assertFalse(Files.exists(oldOriginal));
        assertFalse(Files.exists(oldThumbnail));
        assertTrue(Files.exists(fresh));
        assertEquals(0, sweeper.sweep(now.minus(Duration.ofDays(2))), "nothing is that old any more");
    }

    private Path blob(String key, Instant modified) throws Exception {
        Path path = ((FileBucket) bucket).resolve(key);
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[] { 1, 2, 3 });
        Files.setLastModifiedTime(path, FileTime.from(modified));
        return path;
    }
}
