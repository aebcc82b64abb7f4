package dev.thumbnail.api;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.restassured.response.ValidatableResponse;

/** What every error answer must look like: a problem document with the stable code, and nothing internal in it. */
public final class ProblemAssertions {

    /** A Java class name (dev.thumbnail.X, java.lang.X...), a stack frame, or an exception's simple name. */
    public static final String LEAK = "(?s).*(\\b[a-z]+\\.[a-z]+\\.[A-Za-z.]*[A-Z]\\w*|\\bat [\\w.$]+\\(|Exception"
            + "|<html).*";

    private ProblemAssertions() {
    }

    public static ValidatableResponse assertProblem(ValidatableResponse response, int status, String code) {
        response.statusCode(status)
                .contentType("application/problem+json")
                .body("status", equalTo(status))
                .body("code", equalTo(code))
                .body("type", startsWith("urn:thumbnail:problem:"))
                // One style for every title, whichever layer answered (RFC 9457: the same for every occurrence).
                .body("title", matchesPattern("[A-Z][a-z0-9 ]*"))
                .body("detail", not(equalTo(null)));
        assertNoLeak(response.extract().asString());
        return response;
    }

    public static void assertNoLeak(String body) {
        assertFalse(body.matches(LEAK), "leaks internals: " + body);
    }
}
