package dev.thumbnail.worker.messaging;

import jakarta.inject.Inject;

import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.storage.Bucket;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@link ResizeWorkerContract} on an S3 bucket (S3Proxy on loopback); the storage fault is the server stopped.
 */
@QuarkusTest
@WithTestResource(value = KafkaRedisTestResource.class, initArgs = {
        @ResourceArg(name = KafkaRedisTestResource.TOPICS, value = Topics.RESIZE_REQUESTS + ","
                + Topics.RESIZE_COMPLETIONS),
        @ResourceArg(name = KafkaRedisTestResource.STORAGE, value = "s3") })
class ResizeWorkerOnS3Test extends ResizeWorkerContract {

    @Inject
    Bucket bucket;

    @Override
    Bucket bucket() {
        return bucket;
    }

    @Override
    void breakStorage() {
        SharedInfrastructure.get().s3().stop();
    }

    @Override
    void repairStorage() {
        SharedInfrastructure.get().s3().restart();
    }
}
