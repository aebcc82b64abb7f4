package dev.thumbnail.api.task;

import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * {@link TaskApiTest} against the packaged API (the JVM jar, or the native binary with {@code -Pnative}), run by
 * failsafe in {@code verify}.
 */
@QuarkusIntegrationTest
@WithTestResource(KafkaRedisTestResource.class)
class TaskApiIT extends TaskApiTest {
}
