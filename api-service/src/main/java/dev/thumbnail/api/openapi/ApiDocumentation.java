package dev.thumbnail.api.openapi;

import jakarta.ws.rs.core.Application;

import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI document's header and the bearer scheme the resources refer to. */
@OpenAPIDefinition(info = @Info(title = "Thumbnail service", version = "1.0",
        description = "Upload an image, get a task id at once, poll its status, download a thumbnail that fits in "
                + "100x100. Errors are application/problem+json with a stable code."))
@SecurityScheme(securitySchemeName = ApiDocumentation.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "An API key, as 'Authorization: Bearer <key>', when the service has keys configured.")
public class ApiDocumentation extends Application {

    public static final String BEARER = "bearer";
}
