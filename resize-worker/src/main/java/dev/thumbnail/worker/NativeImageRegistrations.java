package dev.thumbnail.worker;

import dev.thumbnail.contracts.ResizeCompleted;
import dev.thumbnail.contracts.ResizeRequested;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a native image must keep for reflection: the event records Jackson reads and writes on the Kafka channels
 * (their components and accessors). ImageIO's own plugins are handled by quarkus-awt; the TwelveMonkeys plugins are
 * found through their {@code META-INF/services} entries (included in application.properties).
 */
@RegisterForReflection(targets = {
        ResizeRequested.class, ResizeRequested.Target.class, ResizeRequested.Mode.class,
        ResizeCompleted.class, ResizeCompleted.ImageInfo.class, ResizeCompleted.ThumbnailInfo.class,
        ResizeCompleted.ErrorInfo.class, dev.thumbnail.contracts.TaskStatus.class })
public final class NativeImageRegistrations {

    private NativeImageRegistrations() {
    }
}
