package dev.thumbnail.worker.messaging;

import dev.thumbnail.contracts.Topics;
import dev.thumbnail.devinfra.KafkaRedisTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@link ResizeWorkerContract} on the directory bucket. */
@QuarkusTest
@WithTestResource(value = KafkaRedisTestResource.class, initArgs = @ResourceArg(name = KafkaRedisTestResource.TOPICS,
        value = Topics.RESIZE_REQUESTS + "," + Topics.RESIZE_COMPLETIONS))
class ResizeWorkerTest extends ResizeWorkerContract {
}
