package dev.thumbnail.worker.messaging;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

import org.junit.jupiter.api.Test;

import dev.thumbnail.contracts.BlobKeys;
import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.TaskStatus;
import dev.thumbnail.contracts.Topics;
import dev.thumbnail.storage.FileBucket;
import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import dev.thumbnail.testfixtures.SharedInfrastructure;
import dev.thumbnail.testfixtures.TestImages;
import dev.thumbnail.worker.health.ConsumersCheck;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A decoder that throws an {@link Error} other than running out of memory (a plugin's class that cannot be loaded, a
 * native library's InternalError, an assertion) fails that task with INTERNAL_ERROR; the consumer slot that ran it
 * lives on, and the worker stays live. Before, such an Error ended the slot's thread: the worker ran on with a slot
 * fewer and nothing said so.
 */
@QuarkusTest
@WithTestResource(value = KafkaRedisTestResource.class, initArgs = @ResourceArg(name = KafkaRedisTestResource.TOPICS,
        value = Topics.RESIZE_REQUESTS + "," + Topics.RESIZE_COMPLETIONS))
class DecoderErrorTest {

    private final FileBucket bucket = new FileBucket(SharedInfrastructure.get().bucket());

    @Test
    void failsTheTaskAndKeepsItsSlotWhenADecoderThrowsAnError() throws Exception {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        ImageReaderSpi failing = new FailingBmpReaderSpi();
        registry.registerServiceProvider(failing, ImageReaderSpi.class);
        Iterator<ImageReaderSpi> others = registry.getServiceProviders(ImageReaderSpi.class,
                spi -> spi != failing && List.of(((ImageReaderSpi) spi).getFormatNames()).contains("BMP"), true);
        others.forEachRemaining(other -> registry.setOrdering(ImageReaderSpi.class, failing, other));
        try {
            // Four, spread over the partitions (and so the slots) by their keys.
            List<String> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(store(TestImages.encoded(40, 30, "bmp")));
            }
            tasks.forEach(ResizeWorkerContract::request);
            for (String task : tasks) {
                ResizeCompleted outcome = last(task);
                assertEquals(TaskStatus.FAILURE, outcome.status(), outcome.toString());
                assertEquals(ErrorCodes.INTERNAL_ERROR, outcome.error().code(), outcome.toString());
                assertEquals(ErrorCodes.publicMessage(ErrorCodes.INTERNAL_ERROR), outcome.error().message());
            }
        } finally {
            registry.deregisterServiceProvider(failing, ImageReaderSpi.class);
        }

        long threads = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("resize-requests-") && thread.isAlive()).count();
        assertEquals(2, threads, "both processing slots' consumer threads still run");
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == '" + ConsumersCheck.NAME + "' }.data.running", equalTo(2));
        String good = store(TestImages.encoded(40, 30, "bmp"));
        ResizeWorkerContract.request(good);
        assertEquals(TaskStatus.SUCCESS, last(good).status());
    }

    private String store(byte[] bytes) throws Exception {
        String taskId = UUID.randomUUID().toString();
        bucket.put(BlobKeys.original(taskId), bytes, "application/octet-stream");
        return taskId;
    }

    private static ResizeCompleted last(String taskId) {
        List<ResizeCompleted> events = org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> CompletionEvents.of(taskId), found -> found.stream()
                        .anyMatch(event -> event.status().isTerminal()));
        return events.get(events.size() - 1);
    }

    /** A BMP reader whose decoding throws NoClassDefFoundError, as a plugin missing a class of its own would. */
    private static final class FailingBmpReaderSpi extends ImageReaderSpi {
        FailingBmpReaderSpi() {
            super("test", "1", new String[] { "BMP", "bmp" }, new String[] { "bmp" }, new String[] { "image/bmp" },
                    FailingReader.class.getName(), new Class<?>[] { ImageInputStream.class }, null, false, null,
                    null, null, null, false, null, null, null, null);
        }

        @Override
        public boolean canDecodeInput(Object source) {
            return false;
        }

        @Override
        public ImageReader createReaderInstance(Object extension) {
            return new FailingReader(this);
        }

        @Override
        public String getDescription(Locale locale) {
            return "a BMP reader that fails with an Error (test)";
        }
    }

    private static final class FailingReader extends ImageReader {
        FailingReader(ImageReaderSpi spi) {
            super(spi);
        }

        @Override
        public int getNumImages(boolean allowSearch) {
            return 1;
        }

        @Override
        public int getWidth(int imageIndex) {
            return 1;
        }

        @Override
        public int getHeight(int imageIndex) {
            return 1;
        }

        @Override
        public Iterator<ImageTypeSpecifier> getImageTypes(int imageIndex) {
            return List.of(ImageTypeSpecifier.createFromRenderedImage(new BufferedImage(1, 1,
                    BufferedImage.TYPE_INT_RGB))).iterator();
        }

        @Override
        public IIOMetadata getStreamMetadata() {
            return null;
        }

        @Override
        public IIOMetadata getImageMetadata(int imageIndex) {
            return null;
        }

        @Override
        public BufferedImage read(int imageIndex, ImageReadParam param) {
            throw new NoClassDefFoundError("simulated: a decoder plugin's class could not be loaded");
        }
    }
}
