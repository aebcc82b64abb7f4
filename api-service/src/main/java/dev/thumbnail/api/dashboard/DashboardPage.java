package dev.thumbnail.api.dashboard;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;

/**
 * {@code /dashboard} without the slash leads to the page, whose relative links need the directory form. The page
 * itself is static (META-INF/resources/dashboard/) and holds no data, so it needs no key; its scripts send the one
 * typed into it with every data request.
 */
@ApplicationScoped
public class DashboardPage {

    void install(@Observes Router router) {
        // Vert.x matches "/dashboard/" to this route too; that one is the page itself.
        router.get("/dashboard").handler(context -> {
            if (context.request().path().equals("/dashboard")) {
                context.redirect("/dashboard/");
            } else {
                context.next();
            }
        });
    }
}
