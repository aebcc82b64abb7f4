package dev.thumbnail.worker.messaging;

import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link ResizeWorkerTest} against the packaged worker, run by failsafe in {@code verify}: the JVM jar, or the native
 * binary with {@code -Pnative} where GraalVM/Mandrel is installed (README "Native worker").
 */
@QuarkusIntegrationTest
@WithTestResource(value = KafkaRedisTestResource.class, initArgs = @ResourceArg(name = KafkaRedisTestResource.TOPICS,
        value = Topics.RESIZE_REQUESTS + "," + Topics.RESIZE_COMPLETIONS))
class ResizeWorkerIT extends ResizeWorkerTest {
}
