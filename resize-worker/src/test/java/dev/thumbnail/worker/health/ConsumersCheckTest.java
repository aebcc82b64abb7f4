package dev.thumbnail.worker.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import dev.thumbnail.worker.messaging.RequestConsumers;

class ConsumersCheckTest {

    @Test
    void isDownOnceASlotHasEndedWhileTheWorkerRuns() {
        HealthCheckResponse response = ConsumersCheck.response(new RequestConsumers.Slots(2, 1, 1));
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertEquals(1L, response.getData().orElseThrow().get("ended"));
    }

    @Test
    void isUpWhileEverySlotRunsOrBeforeTheyStart() {
        assertEquals(HealthCheckResponse.Status.UP,
                ConsumersCheck.response(new RequestConsumers.Slots(2, 2, 0)).getStatus());
        assertEquals(HealthCheckResponse.Status.UP,
                ConsumersCheck.response(new RequestConsumers.Slots(2, 0, 0)).getStatus());
    }
}
