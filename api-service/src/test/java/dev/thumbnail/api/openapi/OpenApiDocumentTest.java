package dev.thumbnail.api.openapi;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.thumbnail.testfixtures.KafkaRedisTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The served OpenAPI document describes the API, and the Postman collection names exactly its operations. */
@QuarkusTest
@WithTestResource(KafkaRedisTestResource.class)
class OpenApiDocumentTest {

    static final Path POSTMAN = Path.of("../deploy/postman/thumbnail-service.postman_collection.json");
    static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void postmanCollectionNamesExactlyTheDocumentedOperations() throws Exception {
        JsonNode openapi = json.readTree(given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString());
        Set<String> documented = new TreeSet<>();
        openapi.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(
                method -> {
                    if (HTTP_METHODS.contains(method)) {
                        documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                }));

        JsonNode collection = json.readTree(POSTMAN.toFile());
        Set<String> inPostman = new TreeSet<>();
        collectRequests(collection.get("item"), inPostman);

        assertEquals(Set.of("POST /create", "GET /status/{taskId}", "GET /thumbnail/{taskId}"), documented);
        assertEquals(documented, inPostman);
    }

    @Test
    void postmanCollectionUsesBearerAuthAndKeepsTheNewTaskId() throws Exception {
        JsonNode collection = json.readTree(POSTMAN.toFile());
        assertEquals("https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
                collection.at("/info/schema").asText());
        assertEquals("bearer", collection.at("/auth/type").asText());
        assertEquals("{{apiKey}}", collection.at("/auth/bearer/0/value").asText());
        JsonNode create = collection.at("/item/0");
        assertEquals("image_data", create.at("/request/body/formdata/0/key").asText());
        assertEquals("file", create.at("/request/body/formdata/0/type").asText());
        String script = String.join("\n", json.convertValue(create.at("/event/0/script/exec"), String[].class));
        assertTrue(script.contains("pm.collectionVariables.set('taskId'"), script);
        boolean waits = false;
        for (JsonNode item : collection.get("item")) {
            for (JsonNode query : item.at("/request/url/query")) {
                waits |= query.get("key").asText().equals("wait");
            }
        }
        assertTrue(waits, "a request shows GET /status/{taskId}?wait=");
    }

    @Test
    void documentsTheWaitParameterOfTheStatus() {
        given().get("/q/openapi?format=json").then()
                .statusCode(200)
                .body("paths.'/status/{taskId}'.get.parameters.find { it.name == 'wait' }.schema.type",
                        equalTo("integer"))
                .body("paths.'/status/{taskId}'.get.parameters.find { it.name == 'wait' }.schema.minimum",
                        equalTo(0))
                .body("paths.'/status/{taskId}'.get.responses.'400'.description", containsString("INVALID_WAIT"));
    }

    /** Every code the API answers an upload with is named under its status (TaskService, UploadReader, ApiException). */
    @Test
    void namesEveryProblemCodeOfAnUpload() {
        given().get("/q/openapi?format=json").then()
                .statusCode(200)
                .body("paths.'/create'.post.responses.'400'.description", allOf(containsString("MISSING_IMAGE"),
                        containsString("CORRUPT_IMAGE"), containsString("MALFORMED_MULTIPART"),
                        containsString("UPLOAD_INTERRUPTED")))
                .body("paths.'/create'.post.responses.'413'.description",
                        allOf(containsString("PAYLOAD_TOO_LARGE"), containsString("IMAGE_TOO_LARGE")))
                .body("paths.'/create'.post.responses.'415'.description", allOf(containsString("UNSUPPORTED_FORMAT"), containsString("UNSUPPORTED_MEDIA_TYPE")));
    }

    @Test
    void documentsErrorsAsProblemsAndTheBearerScheme() {
        given().get("/q/openapi?format=json").then()
                .statusCode(200)
                .body("components.securitySchemes.bearer.type", equalTo("http"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("paths.'/create'.post.security[0].bearer", notNullValue())
                .body("paths.'/create'.post.responses.keySet()",
                        hasItems("202", "400", "401", "413", "415", "429", "503"))
                .body("paths.'/create'.post.responses.'413'.content.'application/problem+json'.schema.'$ref'",
                        equalTo("#/components/schemas/Problem"))
                .body("paths.'/create'.post.requestBody.content.'multipart/form-data'.schema.'$ref'",
                        equalTo("#/components/schemas/UploadForm"))
                .body("components.schemas.UploadForm.properties.image_data.format", equalTo("binary"))
                .body("paths.'/status/{taskId}'.get.responses.keySet()", hasItems("200", "401", "404", "503"))
                .body("paths.'/thumbnail/{taskId}'.get.responses.keySet()", hasItems("200", "304", "404"))
                .body("components.schemas.Problem.properties.keySet()",
                        hasItems("type", "title", "status", "detail", "code"));
    }

    @Test
    void servesSwaggerUi() {
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger"));
    }

    /** Postman's {@code {{baseUrl}}/status/{{taskId}}} becomes {@code GET /status/{taskId}}. */
    private static void collectRequests(JsonNode items, Set<String> into) {
        for (Iterator<JsonNode> it = items.elements(); it.hasNext();) {
            JsonNode item = it.next();
            if (item.has("item")) {
                collectRequests(item.get("item"), into);
                continue;
            }
            String raw = item.at("/request/url/raw").asText();
            String path = raw.replace("{{baseUrl}}", "").replaceAll("\\{\\{(\\w+)}}", "{$1}").replaceAll("\\?.*", "");
            into.add(item.at("/request/method").asText() + " " + Map.of("{task_id}", "{taskId}").entrySet().stream()
                    .reduce(path, (p, e) -> p.replace(e.getKey(), e.getValue()), (a, b) -> a));
        }
    }
}
