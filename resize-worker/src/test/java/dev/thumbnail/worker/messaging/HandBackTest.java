package dev.thumbnail.worker.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.ResizeRequested;
import dev.thumbnail.contracts.TaskStatus;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.worker.pipeline.BeforeDecode;
import dev.thumbnail.worker.task.TaskProcessor;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A task abandoned because the worker is stopping ends in no event at all and is reported as not done, so its request
 * stays uncommitted and another member of the consumer group makes it; a task that is not abandoned is done.
 */
@QuarkusTest
@WithTestResource(value = KafkaRedisTestResource.class, initArgs = @ResourceArg(name = KafkaRedisTestResource.TOPICS,
        value = Topics.RESIZE_REQUESTS + "," + Topics.RESIZE_COMPLETIONS))
class HandBackTest {

    @Inject
    TaskProcessor processor;

    @Test
    void anAbandonedTaskIsHandedBackWithoutAnEvent() throws Exception {
        ResizeRequested request = request();
        TaskProcessor.Cancellation stopping = new TaskProcessor.Cancellation();
        stopping.cancel();

        assertFalse(processor.process(request, stopping, BeforeDecode.NONE));

        assertEquals(0, outcomes(request.taskId()), "an abandoned task must not announce an outcome");
        assertFalse(Files.exists(SharedInfrastructure.get().bucket().resolve(BlobKeys.thumbnail(request.taskId(),
                "PNG"))));
    }

    @Test
    void aTaskThatIsNotAbandonedIsDoneAndAnnounced() throws Exception {
        ResizeRequested request = request();

        assertTrue(processor.process(request, new TaskProcessor.Cancellation(), BeforeDecode.NONE));

        assertEquals(1, outcomes(request.taskId()));
    }

    private static ResizeRequested request() throws Exception {
        String taskId = UUID.randomUUID().toString();
        Path original = SharedInfrastructure.get().bucket().resolve(BlobKeys.original(taskId));
        Files.createDirectories(original.getParent());
        byte[] image = TestImages.encoded(640, 480, "png");
        Files.write(original, image);
        return new ResizeRequested(ResizeRequested.CURRENT_VERSION, taskId, "owner", BlobKeys.original(taskId), "x.png",
                "image/png", image.length, new ResizeRequested.Target(100, 100, ResizeRequested.Mode.FIT), Instant.now());
    }

    /** Outcomes (SUCCESS or FAILURE) announced for the task; STARTED may go out before the task is abandoned. */
    private static long outcomes(String taskId) {
        return CompletionEvents.of(taskId).stream().map(ResizeCompleted::status).filter(TaskStatus::isTerminal).count();
    }

}
