package dev.thumbnail.api.task;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import dev.thumbnail.api.auth.CurrentCaller;
import dev.thumbnail.api.error.ApiException;
import dev.thumbnail.api.error.Problem;
import dev.thumbnail.api.openapi.ApiDocumentation;
import dev.thumbnail.storage.Bucket;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/** The HTTP API kept from the old service: create, status, and the thumbnail download; plus the status as a stream. */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tasks", description = "Upload an image, follow its task, download the thumbnail.")
@SecurityRequirement(name = ApiDocumentation.BEARER)
@APIResponse(responseCode = "401", description = "Missing or unknown API key (only when authentication is on).",
        headers = @Header(name = "WWW-Authenticate", description = "Bearer realm=\"thumbnail\""),
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = "Kafka, Redis or storage is unavailable; nothing was left half-done.",
        headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying."),
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class TaskResource {

    private final TaskService tasks;
    private final TaskEvents events;
    private final CurrentCaller caller;
    private final KeepAlive keepAlive;
    private final JsonEvents jsonEvents;

    public TaskResource(TaskService tasks, TaskEvents events, CurrentCaller caller, KeepAlive keepAlive,
            JsonEvents jsonEvents) {
        this.jsonEvents = jsonEvents;
        this.tasks = tasks;
        this.events = events;
        this.caller = caller;
        this.keepAlive = keepAlive;
    }

    @POST
    @Path("create")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(operationId = "createTask", summary = "Upload an image and start making its thumbnail",
            description = "Stores the upload, records the task as PENDING and queues it. The format is decided by "
                    + "the file's bytes, never its name or Content-Type.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = UploadForm.class)))
    @APIResponse(responseCode = "202", description = "Accepted; poll the Location.",
            headers = @Header(name = "Location", description = "/status/{taskId}"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CreateResponse.class)))
    @APIResponse(responseCode = "400", description = "image_data missing or empty (MISSING_IMAGE), the image's "
            + "header broken (CORRUPT_IMAGE), the multipart body malformed (MALFORMED_MULTIPART), or the connection "
            + "ended before the body did (UPLOAD_INTERRUPTED).",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "408", description = "The body did not arrive within thumbnail.upload.timeout "
            + "(UPLOAD_TIMEOUT).",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Upload over the byte limit (PAYLOAD_TOO_LARGE), or an image "
            + "whose header shows more pixels than the limit, or than the lower limit of images decoded at full size "
            + "(a WebP coded losslessly or with an alpha plane) (IMAGE_TOO_LARGE).",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "415", description = "Not multipart/form-data (UNSUPPORTED_MEDIA_TYPE), or not an "
            + "image in a supported format (UNSUPPORTED_FORMAT).",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "This key has too many unfinished tasks (TOO_MANY_PENDING).",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying."),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Blocking
    public Response create(InputStream body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @Context HttpHeaders headers) {
        String taskId = tasks.create(body, contentType, headers.getLength(), caller.get());
        return Response.accepted(CreateResponse.of(taskId))
                .location(URI.create("/status/" + taskId))
                .build();
    }

    @GET
    @Path("status/{taskId}")
    @Operation(operationId = "getTaskStatus", summary = "The task's status, and its result once finished")
    @APIResponse(responseCode = "200", description = "PENDING, STARTED, SUCCESS (with Original and Thumbnail) or "
            + "FAILURE (with the error).",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = StatusResponse.class)))
    @APIResponse(responseCode = "400", description = "wait is not a whole number of seconds from 0 (INVALID_WAIT).",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "With wait: this key already holds "
            + "thumbnail.events.max-open-per-key waits and event streams open on this instance (TOO_MANY_WAITS).",
            headers = @Header(name = "Retry-After", description = "Seconds to wait before retrying."),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "Unknown, malformed, expired or another key's task "
            + "(TASK_NOT_FOUND).",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<StatusResponse> status(@Parameter(description = "The task id returned by create.") @RestPath String taskId,
            @Parameter(description = "Seconds to wait for the task to finish before answering (at most "
                    + MAX_WAIT_SECONDS + ", a larger value is taken as " + MAX_WAIT_SECONDS + "; a wait under way is "
                    + "answered early, with the status it has, when the instance starts to stop); without it, the "
                    + "status at once.", schema = @Schema(type = SchemaType.INTEGER, minimum = "0"))
            @RestQuery String wait) {
        return tasks.status(taskId, caller.get(), waitFor(wait)).map(StatusResponse::of);
    }

    /**
     * Whether an {@code If-None-Match} field value names {@code opaque}: {@code *}, or one of its entity tags by weak
     * comparison, as RFC 9110 section 13.1.2 requires for this field ({@code W/"x"} matches {@code "x"}). The
     * framework's own evaluation compares strongly, so a tag weakened by a proxy or CDN got the whole body again.
     */
    static boolean noneMatch(String ifNoneMatch, String opaque) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String tag : ifNoneMatch.split(",")) {
            String value = tag.strip();
            if (value.equals("*")) {
                return true;
            }
            if (value.startsWith("W/")) {
                value = value.substring(2);
            }
            if (value.equals("\"" + opaque + "\"")) {
                return true;
            }
        }
        return false;
    }

    /** The longest a {@code ?wait=} long poll is held open. */
    static final int MAX_WAIT_SECONDS = 30;

    static Duration waitFor(String seconds) {
        if (seconds == null || seconds.isEmpty()) {
            return Duration.ZERO;
        }
        String digits = seconds.strip();
        if (!digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // Any run of digits, however long: a value past the cap is the cap, as documented.
            String significant = digits.replaceFirst("^0+(?=.)", "");
            int value = significant.length() > 9 ? MAX_WAIT_SECONDS : Integer.parseInt(significant);
            return Duration.ofSeconds(Math.min(value, MAX_WAIT_SECONDS));
        }
        throw ApiException.badRequest("INVALID_WAIT", "The 'wait' parameter must be a whole number of seconds, 0 or "
                + "more (more than " + MAX_WAIT_SECONDS + " is taken as " + MAX_WAIT_SECONDS + ").");
    }

    /**
     * Hidden from the OpenAPI document until the Postman collection gains it (OpenApiDocumentTest keeps the two equal).
     * Runs on a worker thread only for the first, blocking read that checks the caller may see the task, so that an
     * unknown or another key's task gets a plain 404 before the stream starts; the stream itself is non-blocking.
     */
    @GET
    @Path("status/{taskId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(hidden = true)
    public Multi<OutboundSseEvent> statusEvents(@RestPath String taskId, @Context Sse sse) {
        TaskRecord task = tasks.find(taskId, caller.get()).await().atMost(TaskService.STORE_TIMEOUT.plusSeconds(1))
                .orElseThrow(TaskService::notFound);
        if (events.draining()) {
            // The state it has and the end of the stream, with a reconnection time that outlasts the stop.
            return Multi.createFrom().item(jsonEvents.lastEvent(sse, task.status().name(), StatusResponse.of(task),
                    TaskEvents.RECONNECT_LATER));
        }
        return keepAlive.around(events.follow(task, caller.get()).map(state -> jsonEvents.event(sse, state.status().name(),
                StatusResponse.of(state))), sse);
    }

    @GET
    @Path("thumbnail/{taskId}")
    @Produces({ "image/jpeg", "image/png", MediaType.APPLICATION_JSON })
    @Operation(operationId = "getThumbnail", summary = "The thumbnail's bytes, once the task succeeded")
    @APIResponse(responseCode = "200", description = "The thumbnail, with an ETag and long-lived Cache-Control.",
            content = {
                    @Content(mediaType = "image/png", schema = @Schema(type = SchemaType.STRING, format = "binary")),
                    @Content(mediaType = "image/jpeg", schema = @Schema(type = SchemaType.STRING, format = "binary")) })
    @APIResponse(responseCode = "304", description = "Not modified (If-None-Match matched the ETag).")
    @APIResponse(responseCode = "404", description = "Unknown or another key's task (TASK_NOT_FOUND), a task not "
            + "finished yet (THUMBNAIL_NOT_READY), or one that failed or whose thumbnail is no longer kept "
            + "(NO_THUMBNAIL).",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Blocking
    public Response thumbnail(@Parameter(description = "The task id returned by create.") @RestPath String taskId,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, Request request) {
        TaskService.Thumbnail thumbnail = tasks.thumbnail(taskId, caller.get())
                .await().atMost(TaskService.STORE_TIMEOUT.plusSeconds(1));
        // A task's thumbnail never changes once it exists, so the task id is a strong validator.
        EntityTag etag = new EntityTag(thumbnail.taskId());
        CacheControl cache = new CacheControl();
        cache.setPrivate(true);
        cache.setMaxAge(31_536_000);
        if (noneMatch(ifNoneMatch, etag.getValue())) {
            return Response.notModified(etag).cacheControl(cache).build();
        }
        Response.ResponseBuilder notModified = request.evaluatePreconditions(etag);
        if (notModified != null) {
            return notModified.cacheControl(cache).build();
        }
        Bucket.Download download = tasks.open(thumbnail).orElseThrow(TaskService::thumbnailGone);
        Object entity;
        if (download.file().isPresent()) {
            entity = download.file().get().toFile();
        } else {
            InputStream in = download.stream().orElseThrow();
            if (HttpMethod.HEAD.equals(request.getMethod())) {
                closeQuietly(in); // no body will be written: give the store's connection back now
                entity = null;
            } else {
                // Closed once written, or when the client went away mid-way.
                entity = (StreamingOutput) out -> {
                    try (in) {
                        in.transferTo(out);
                    }
                };
            }
        }
        return Response.ok(entity, thumbnail.mediaType()).header(HttpHeaders.CONTENT_LENGTH, download.size())
                .tag(etag).cacheControl(cache).build();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (java.io.IOException e) {
            // nothing was read
        }
    }
}
