package dev.thumbnail.service.storage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.thumbnail.storage.Bucket;
import dev.thumbnail.storage.StorageException;

/**
 * Readiness {@code storage}: DOWN while the bucket cannot be written (a small probe object is written and deleted).
 * The API then answers uploads with 503; the worker's tasks wait, retried within their deadline.
 */
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
