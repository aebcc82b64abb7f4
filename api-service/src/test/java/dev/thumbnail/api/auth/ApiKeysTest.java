package dev.thumbnail.api.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private final ApiKeys keys = new ApiKeys(List.of("key-a", " key-b ", ""), List.of("admin-key"));

    @Test
    void authenticatesEveryConfiguredKeyAndOnlyThose() {
        assertEquals(Optional.of(new Caller(ApiKeys.ownerIdOf("key-a"), false)), keys.authenticate("key-a"));
        assertEquals(Optional.of(new Caller(ApiKeys.ownerIdOf("key-b"), false)), keys.authenticate("key-b"));
        assertEquals(Optional.of(new Caller(ApiKeys.ownerIdOf("admin-key"), true)), keys.authenticate("admin-key"));
        for (String wrong : List.of("key-c", "key-", "key-a ", "KEY-A", "", "admin-key2")) {
            assertEquals(Optional.empty(), keys.authenticate(wrong), wrong);
        }
    }

    @Test
    void derivesTheOwnerIdFromTheKeysDigestNeverTheKey() throws Exception {
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest("key-a".getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        assertEquals(expected, ApiKeys.ownerIdOf("key-a"));
        assertFalse(ApiKeys.ownerIdOf("key-a").contains("key-a"));
    }

    @Test
    void isOffOnlyWhenNoKeyIsConfigured() {
        assertTrue(keys.enabled());
        assertTrue(new ApiKeys(List.of(), List.of("admin-key")).enabled());
        assertFalse(new ApiKeys(List.of(), List.of()).enabled());
        assertFalse(new ApiKeys(List.of(" "), List.of("")).enabled());
        assertEquals(Optional.empty(), new ApiKeys(List.of(), List.of()).authenticate(""));
    }

    /** The shipped Secret's placeholders, applied unchanged, would be keys anyone knows: the API does not start. */
    @Test
    void refusesThePlaceholdersOfTheShippedSecret() throws Exception {
        String secret = Files.readString(Path.of(System.getProperty("repo.root", ".."),
                "deploy/k8s/base/secret.yaml"));
        for (String line : secret.lines().filter(line -> line.strip().startsWith("THUMBNAIL_AUTH_")).toList()) {
            List<String> shipped = List.of(line.substring(line.indexOf(':') + 1).strip().split(","));
            assertTrue(shipped.stream().allMatch(key -> key.startsWith(ApiKeys.PLACEHOLDER_PREFIX)), line);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> new ApiKeys(shipped, List.of()));
            assertTrue(refused.getMessage().contains("THUMBNAIL_AUTH_API_KEYS"), refused.getMessage());
            shipped.forEach(key -> assertFalse(refused.getMessage().contains(key), "the message names a key"));
            assertThrows(IllegalArgumentException.class, () -> new ApiKeys(List.of("key-a"), shipped));
        }
        assertTrue(secret.contains(ApiKeys.PLACEHOLDER_PREFIX), "the shipped Secret's placeholders changed");
    }

    @Test
    void readsOnlyTheBearerScheme() {
        assertEquals(Optional.of("key-a"), BearerAuthFilter.token("Bearer key-a"));
        assertEquals(Optional.of("key-a"), BearerAuthFilter.token("bearer  key-a "));
        for (String header : new String[] { null, "", "Bearer", "Bearer ", "Bearer   ", "Basic a2V5LWE=",
                "key-a", "Bearerkey-a" }) {
            assertEquals(Optional.empty(), BearerAuthFilter.token(header), String.valueOf(header));
        }
    }

    /**
     * A structural check: the comparison is MessageDigest.isEqual over digests, across every key, without leaving the
     * loop early; no String.equals or Arrays.equals on key material anywhere.
     */
    @Test
    void comparesKeysInConstantTimeOverEveryConfiguredKey() throws Exception {
        String source = Files.readString(Path.of("src/main/java/dev/thumbnail/api/auth/ApiKeys.java"));
        String authenticate = source.substring(source.indexOf("public Optional<Caller> authenticate"));
        authenticate = authenticate.substring(0, authenticate.indexOf("\n    }\n"));

        assertTrue(authenticate.contains("MessageDigest.isEqual(digest, key.digest())"), authenticate);
        assertTrue(authenticate.contains("for (Key key : keys)"), authenticate);
        assertFalse(authenticate.matches("(?s).*\\bfor \\(Key key : keys\\).*\\b(break|return)\\b.*\\n        }.*"),
                "no early exit from the loop: " + authenticate);
        assertFalse(source.contains("Arrays.equals"), "no Arrays.equals on key material");
        assertFalse(source.matches("(?s).*\\b(presented|key)\\.equals\\(.*"), "no String.equals on keys");
        assertFalse(source.matches("(?s).*Log\\.\\w+\\([^;]*\\b(presented|apiKeys|adminKeys)\\b.*"),
                "keys are never logged");
    }
}
