package dev.thumbnail.service.logging;

import io.smallrye.config.ConfigMapping;

/**
 * {@code thumbnail.log.*}: the logging switches both services have. Quarkus' logging follows them through the
 * properties in this module's {@code META-INF/microprofile-config.properties}, which also holds their defaults:
 * logging starts before any configuration mapping exists, so a {@code @WithDefault} here would come too late.
 */
@ConfigMapping(prefix = "thumbnail.log")
public interface LogSettings {

    /** JSON lines on the console (ELK, Loki), the MDC {@code taskId} included. */
    boolean json();

    /** Also write {@code <quarkus.application.name>.log} under {@link #dir()}. */
    boolean toFiles();

    String dir();
}
