package dev.thumbnail.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import dev.thumbnail.api.config.ApiConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * The configured API keys, kept only as SHA-256 digests. A presented key is hashed and compared with every configured
 * digest by {@link MessageDigest#isEqual} without stopping at a match, so the time taken says nothing about which
 * key, or how much of one, was right. Keys are never logged.
 */
@ApplicationScoped
public class ApiKeys {

    private static final int OWNER_ID_BYTES = 8;
    /**
     * How the placeholder keys of the shipped Kubernetes Secret (deploy/k8s/base/secret.yaml) begin: applied without
     * being replaced, they would be working keys that anyone who read this repository knows.
     */
    public static final String PLACEHOLDER_PREFIX = "replace-me";

    private final List<Key> keys;

    @Inject
    public ApiKeys(ApiConfig config) {
        this(config.auth().apiKeys().orElse(List.of()), config.auth().adminKeys().orElse(List.of()));
    }

    /**
     * @throws IllegalArgumentException when a key is one of the shipped placeholders ({@link #PLACEHOLDER_PREFIX}):
     *     the service does not start with it (the message names the setting, never a key)
     */
    ApiKeys(List<String> apiKeys, List<String> adminKeys) {
        refusePlaceholders("thumbnail.auth.api-keys (THUMBNAIL_AUTH_API_KEYS)", apiKeys);
        refusePlaceholders("thumbnail.auth.admin-keys (THUMBNAIL_AUTH_ADMIN_KEYS)", adminKeys);
        List<Key> all = new ArrayList<>();
        apiKeys.stream().map(String::strip).filter(key -> !key.isEmpty()).forEach(key -> all.add(new Key(sha256(key),
                false)));
        adminKeys.stream().map(String::strip).filter(key -> !key.isEmpty()).forEach(key -> all.add(new Key(sha256(key),
                true)));
        this.keys = List.copyOf(all);
    }

    void announce(@Observes StartupEvent event) {
        if (enabled()) {
            Log.infof("API key authentication is on: %d api keys, %d admin keys", keys.stream()
                    .filter(key -> !key.admin()).count(), keys.stream().filter(Key::admin).count());
        } else {
            Log.warn("API key authentication is OFF: anyone who can reach this service may upload and read every "
                    + "task. Set thumbnail.auth.api-keys (THUMBNAIL_AUTH_API_KEYS) and/or thumbnail.auth.admin-keys "
                    + "(THUMBNAIL_AUTH_ADMIN_KEYS) to turn it on.");
        }
    }

    private static void refusePlaceholders(String setting, List<String> keys) {
        if (keys.stream().anyMatch(key -> key.strip().startsWith(PLACEHOLDER_PREFIX))) {
            throw new IllegalArgumentException(setting + " still holds a placeholder of deploy/k8s/base/secret.yaml ("
                    + PLACEHOLDER_PREFIX + "-...), a key anyone who read the repository knows: set real keys in the "
                    + "Secret api-service-auth");
        }
    }

    /** Off when no key is configured at all: the local default. */
    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** The caller behind a presented key, or empty when the key is not configured. */
    public Optional<Caller> authenticate(String presented) {
        byte[] digest = sha256(presented);
        boolean known = false;
        boolean admin = false;
        for (Key key : keys) {
            boolean match = MessageDigest.isEqual(digest, key.digest());
            known |= match;
            admin |= match & key.admin();
        }
        return known ? Optional.of(new Caller(ownerId(digest), admin)) : Optional.empty();
    }

    /** The first 16 hex digits of SHA-256(key): stable per key, stored with its tasks, useless for logging in. */
    static String ownerId(byte[] digest) {
        return HexFormat.of().formatHex(digest, 0, OWNER_ID_BYTES);
    }

    public static String ownerIdOf(String key) {
        return ownerId(sha256(key));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private record Key(byte[] digest, boolean admin) {
    }
}
