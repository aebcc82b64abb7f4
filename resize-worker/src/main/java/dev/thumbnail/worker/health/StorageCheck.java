package dev.thumbnail.worker.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.thumbnail.storage.Bucket;
import dev.thumbnail.storage.StorageException;

/** DOWN while thumbnails cannot be written to the bucket (tasks then wait, retried within their deadline). */
@Readiness
@ApplicationScoped
public class StorageCheck implements HealthCheck {

    private final Bucket bucket;

    public StorageCheck(Bucket bucket) {
        this.bucket = bucket;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("storage").withData("bucket",
                bucket.describe());
        try {
            bucket.check();
            return response.up().build();
        } catch (StorageException e) {
            return response.down().withData("reason", e.getMessage()).build();
        }
    }
}
