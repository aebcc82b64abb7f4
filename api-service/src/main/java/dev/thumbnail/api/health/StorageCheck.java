package dev.thumbnail.api.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.thumbnail.storage.Bucket;
import dev.thumbnail.storage.StorageException;

/** Not ready while the bucket cannot be written: uploads would answer 503. A small probe is written and deleted. */
@Readiness
@ApplicationScoped
public class StorageCheck implements HealthCheck {

    private final Bucket bucket;

    public StorageCheck(Bucket bucket) {
        this.bucket = bucket;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            bucket.check();
            return HealthCheckResponse.named("storage").up().withData("bucket", bucket.describe()).build();
        } catch (StorageException e) {
            return HealthCheckResponse.named("storage").down().withData("bucket", bucket.describe())
                    .withData("reason", e.getMessage()).build();
        }
    }
}
