package dev.thumbnail.api.error;

import static dev.thumbnail.api.ProblemAssertions.assertNoLeak;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The mappings no endpoint of this API can trigger today, checked directly. */
class ErrorMapperTest {

    private final ErrorMapper mapper = new ErrorMapper(null);
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void turnsUnreadableJsonInto400WithoutJacksonsMessage() throws Exception {
        Response response = mapper.mapJsonProcessingException(new JsonParseException(null,
                "Unexpected character ('n' (code 110)): was expecting double-quote for dev.thumbnail.api.Foo"));

        Problem problem = (Problem) response.getEntity();
        assertEquals(400, response.getStatus());
        assertEquals("MALFORMED_JSON", problem.code());
        assertNoLeak(json.writeValueAsString(problem));
    }

    @Test
    void turnsAnUnexpectedExceptionInto500WithoutItsClassOrMessage() throws Exception {
        Response response = mapper.mapUnexpected(new IllegalStateException("secret internal state at /var/lib/x"));

        Problem problem = (Problem) response.getEntity();
        assertEquals(500, response.getStatus());
        assertEquals("INTERNAL_ERROR", problem.code());
        assertNoLeak(json.writeValueAsString(problem));
        assertEquals(false, json.writeValueAsString(problem).contains("secret"));
    }
}
