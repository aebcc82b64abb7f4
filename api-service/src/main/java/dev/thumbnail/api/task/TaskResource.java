package dev.thumbnail.api.task;

import java.net.URI;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.thumbnail.api.error.ApiException;

/** The HTTP API kept from the old service: create, status, and the thumbnail download. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    static final String ANONYMOUS = "anonymous";

    private final TaskService tasks;

    public TaskResource(TaskService tasks) {
        this.tasks = tasks;
    }

    @POST
    @Path("create")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response create(@RestForm("image_data") FileUpload image) {
        if (image == null || image.uploadedFile() == null) {
            throw ApiException.badRequest("MISSING_IMAGE", "The form field 'image_data' with an image file is required.");
        }
        String taskId = tasks.create(image.uploadedFile(), image.fileName(), ANONYMOUS);
        return Response.accepted(Map.of("status", "success", "data", Map.of("task_id", taskId)))
                .location(URI.create("/status/" + taskId))
                .build();
    }

    @GET
    @Path("status/{taskId}")
    public StatusResponse status(@RestPath String taskId) {
        return tasks.find(taskId).map(StatusResponse::of).orElseThrow(() -> notFound(taskId));
    }

    @GET
    @Path("thumbnail/{taskId}")
    @Produces({ "image/jpeg", "image/png", MediaType.APPLICATION_JSON })
    public Response thumbnail(@RestPath String taskId, Request request) {
        TaskService.Thumbnail thumbnail = tasks.thumbnail(taskId).orElseThrow(() -> notFound(taskId));
        // A task's thumbnail never changes once it exists, so the task id is a strong validator.
        EntityTag etag = new EntityTag(thumbnail.taskId());
        CacheControl cache = new CacheControl();
        cache.setPrivate(true);
        cache.setMaxAge(31_536_000);
        Response.ResponseBuilder notModified = request.evaluatePreconditions(etag);
        if (notModified != null) {
            return notModified.cacheControl(cache).build();
        }
        return Response.ok(thumbnail.path().toFile(), thumbnail.mediaType()).tag(etag).cacheControl(cache).build();
    }

    private static ApiException notFound(String taskId) {
        return ApiException.notFound("TASK_NOT_FOUND", "No task with this id, or no thumbnail for it yet.");
    }
}
