package dev.thumbnail.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

class ContractsTest {

    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    @Test
    void resizeRequestedSurvivesAJsonRoundTrip() throws Exception {
        var event = new ResizeRequested(ResizeRequested.CURRENT_VERSION, UUID.randomUUID().toString(),
                "0123456789abcdef", "originals/x", "cat.png", "image/png", 1234,
                new ResizeRequested.Target(100, 100, ResizeRequested.Mode.FIT), Instant.parse("2026-01-02T03:04:05Z"));

        assertEquals(event, json.readValue(json.writeValueAsString(event), ResizeRequested.class));
    }

    @Test
    void readersIgnoreFieldsAddedByANewerWriter() throws Exception {
        String fromTheFuture = """
                {"version":2,"taskId":"t","status":"SUCCESS","priority":"high",
                 "thumbnail":{"key":"k","width":98,"height":100,"format":"PNG","sizeBytes":10,"colourSpace":"sRGB"}}
                """;

        ResizeCompleted event = json.readValue(fromTheFuture, ResizeCompleted.class);

        assertEquals(TaskStatus.SUCCESS, event.status());
        assertEquals(98, event.thumbnail().width());
        assertNull(event.error());
    }

    @Test
    void completedEventOmitsAbsentParts() throws Exception {
        String started = json.writeValueAsString(ResizeCompleted.started("t", "w1", Instant.EPOCH));

        assertFalse(started.contains("thumbnail"), started);
        assertFalse(started.contains("error"), started);
    }

    @Test
    void statusOnlyMovesForward() {
        assertTrue(TaskStatus.PENDING.canMoveTo(TaskStatus.STARTED));
        assertTrue(TaskStatus.PENDING.canMoveTo(TaskStatus.SUCCESS));
        assertTrue(TaskStatus.STARTED.canMoveTo(TaskStatus.FAILURE));
        assertFalse(TaskStatus.SUCCESS.canMoveTo(TaskStatus.STARTED));
        assertFalse(TaskStatus.SUCCESS.canMoveTo(TaskStatus.FAILURE));
        assertFalse(TaskStatus.FAILURE.canMoveTo(TaskStatus.SUCCESS));
        assertFalse(TaskStatus.STARTED.canMoveTo(TaskStatus.STARTED));
    }

    @Test
    void blobKeysComeFromTheTaskIdOnly() {
        String id = UUID.randomUUID().toString();

        assertEquals("originals/" + id, BlobKeys.original(id));
        assertEquals("thumbnails/" + id + ".jpg", BlobKeys.thumbnail(id, "JPEG"));
        assertEquals("thumbnails/" + id + ".png", BlobKeys.thumbnail(id, "PNG"));
    }

    @Test
    void refusesAnythingButACanonicalUuidAsTaskId() {
        assertThrows(IllegalArgumentException.class, () -> BlobKeys.original("../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> BlobKeys.original(null));
        assertFalse(BlobKeys.isTaskId(UUID.randomUUID().toString().toUpperCase()));
        assertFalse(BlobKeys.isTaskId("1-1-1-1-1"));
        assertTrue(BlobKeys.isTaskId(UUID.randomUUID().toString()));
    }
}
