package dev.thumbnail.worker.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import dev.thumbnail.worker.messaging.RequestConsumers;

/**
 * Not live once a processing slot's consumer thread has ended while the worker was not stopping: the worker would go
 * on with a slot fewer, and nothing else would say so. Kubernetes restarts a pod whose liveness probe fails; the
 * requests the slot held were not committed and go to the group's other members meanwhile.
 */
@Liveness
@ApplicationScoped
public class ConsumersCheck implements HealthCheck {

    public static final String NAME = "resize-requests consumers";

    private final RequestConsumers consumers;

    public ConsumersCheck(RequestConsumers consumers) {
        this.consumers = consumers;
    }

    @Override
    public HealthCheckResponse call() {
        return response(consumers.slots());
    }

    static HealthCheckResponse response(RequestConsumers.Slots slots) {
        return HealthCheckResponse.named(NAME).status(slots.ended() == 0)
                .withData("slots", slots.configured()).withData("running", slots.running())
                .withData("ended", slots.ended()).build();
    }
}
