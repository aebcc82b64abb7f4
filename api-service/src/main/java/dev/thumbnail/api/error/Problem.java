package dev.thumbnail.api.error;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem document ({@code application/problem+json}) with a stable {@code code} beside the standard
 * fields, so clients can branch on the code and show the detail.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details, with a stable machine-readable code.")
public record Problem(
        @Schema(description = "URI naming the kind of problem", example = "urn:thumbnail:problem:task-not-found")
        String type,
        @Schema(description = "Short summary of the kind of problem", example = "Not found") String title,
        @Schema(description = "The HTTP status", example = "404") int status,
        @Schema(description = "A sentence about this occurrence, safe to show") String detail,
        @Schema(description = "Stable code to branch on", example = "TASK_NOT_FOUND") String code) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem("urn:thumbnail:problem:" + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                title, status, detail, code);
    }
}
