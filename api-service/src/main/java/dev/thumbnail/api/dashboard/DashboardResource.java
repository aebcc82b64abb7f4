package dev.thumbnail.api.dashboard;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;

import dev.thumbnail.api.auth.CurrentCaller;
import dev.thumbnail.api.task.JsonEvents;
import dev.thumbnail.api.task.KeepAlive;
import dev.thumbnail.api.task.TaskEvents;
import dev.thumbnail.api.task.TaskRecord;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * The data behind the dashboard page (served as static files under {@code /dashboard/}): its initial state, a task's
 * timeline, and the live stream of every task's changes. Admin keys only when authentication is on; a normal key gets
 * 403, since these are not a task whose existence a 404 would hide. Hidden from the OpenAPI document, which lists the
 * task API that the Postman collection mirrors.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class DashboardResource {

    private final DashboardService dashboard;
    private final TaskEvents events;
    private final CurrentCaller caller;
    private final KeepAlive keepAlive;
    private final JsonEvents jsonEvents;

    public DashboardResource(DashboardService dashboard, TaskEvents events, CurrentCaller caller, KeepAlive keepAlive,
            JsonEvents jsonEvents) {
        this.jsonEvents = jsonEvents;
        this.dashboard = dashboard;
        this.events = events;
        this.caller = caller;
        this.keepAlive = keepAlive;
    }

    @GET
    @Path("dashboard/api/summary")
    @Operation(hidden = true)
    public Uni<DashboardSummary> summary() {
        return dashboard.summary(caller.get());
    }

    @GET
    @Path("dashboard/api/tasks/{taskId}")
    @Operation(hidden = true)
    public Uni<TaskDetail> task(@RestPath String taskId) {
        return dashboard.detail(taskId, caller.get());
    }

    /** Every task's changes: event name = the new status, data = the task's dashboard row. */
    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(hidden = true)
    public Multi<OutboundSseEvent> events(@Context Sse sse) {
        // all() refuses a key that is not an admin's before anything else; nothing is subscribed to until returned.
        Multi<TaskRecord> changes = events.all(caller.get());
        if (events.draining()) {
            return Multi.createFrom().item(jsonEvents.reconnectLater(sse, "this instance is stopping",
                    TaskEvents.RECONNECT_LATER));
        }
        return keepAlive.around(changes.map(task -> jsonEvents.event(sse, task.status().name(),
                TaskRow.of(task))), sse);
    }
}
