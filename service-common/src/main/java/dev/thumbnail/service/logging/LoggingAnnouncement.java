package dev.thumbnail.service.logging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/** Says once at start where the service's logs go, so that an operator who finds the console quiet knows why. */
@ApplicationScoped
class LoggingAnnouncement {

    void onStart(@Observes StartupEvent event, LogSettings logs) {
        Log.infof("logs: %s on the console%s", logs.json() ? "JSON lines" : "text lines",
                logs.toFiles() ? ", and files under " + logs.dir() : "");
    }
}
