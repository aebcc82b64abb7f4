package dev.thumbnail.worker.messaging;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.Folders;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.storage.Bucket;
import dev.thumbnail.storage.FileBucket;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@link ResizeWorkerContract} on the directory bucket; the storage fault is its folders made unusable. */
@QuarkusTest
@WithTestResource(value = KafkaRedisTestResource.class, initArgs = @ResourceArg(name = KafkaRedisTestResource.TOPICS,
        value = Topics.RESIZE_REQUESTS + "," + Topics.RESIZE_COMPLETIONS))
class ResizeWorkerTest extends ResizeWorkerContract {

    private final Bucket bucket = new FileBucket(SharedInfrastructure.get().bucket());
    private final Path thumbnails = SharedInfrastructure.get().bucket().resolve(BlobKeys.THUMBNAILS);
    private final Path staging = SharedInfrastructure.get().bucket().resolve(FileBucket.STAGING);

    @Override
    Bucket bucket() {
        return bucket;
    }

    /** Plain files where the folders were. */
    @Override
    void breakStorage() throws Exception {
        for (Path folder : List.of(thumbnails, staging)) {
            Folders.replaceWithFile(folder);
        }
    }

    @Override
    void repairStorage() throws Exception {
        // Only the obstacles go: the bucket makes its folders again by itself.
        for (Path folder : List.of(thumbnails, staging)) {
            Files.deleteIfExists(folder);
        }
    }
}
