package dev.thumbnail.api.task;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The multipart body of {@code POST /create}, for the OpenAPI document only: the resource reads the part itself as a
 * file upload.
 */
@Schema(name = "UploadForm")
public record UploadForm(
        @Schema(name = "image_data", type = SchemaType.STRING, format = "binary", required = true,
                description = "The image file: JPEG, PNG, GIF, BMP, WebP or TIFF.") String imageData) {
}
