package dev.thumbnail.system;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one service reads from its configuration, taken from its sources rather than from its running code: the keys
 * of its {@code application.properties} and the property names its {@code @ConfigMapping} interface declares (those
 * with a default only in code, or none at all, such as {@code thumbnail.worker.concurrency}, appear nowhere else).
 * Reading the sources keeps this module free of the services' classpaths.
 */
record ServiceConfig(String service, Map<String, String> properties, Set<String> mappedProperties,
        Map<String, String> mappedDefaults) {

    /** The two services. The module name is also the Compose service and the Kubernetes Deployment. */
    enum Service {
        API("api-service", "dev/thumbnail/api/config/ApiConfig.java"),
        WORKER("resize-worker", "dev/thumbnail/worker/config/WorkerConfig.java");

        final String module;
        final String configMapping;

        Service(String module, String configMapping) {
            this.module = module;
            this.configMapping = configMapping;
        }

        @Override
        public String toString() {
            return module;
        }
    }

    static ServiceConfig load(Path repoRoot, Service service) {
        // The shared settings of service-common first: the service's own file ranks above them.
        Map<String, String> properties = new TreeMap<>(read(repoRoot.resolve(
                "service-common/src/main/resources/META-INF/microprofile-config.properties"), service));
        properties.putAll(read(repoRoot.resolve(service.module).resolve("src/main/resources/application.properties"),
                service));
        Path mapping = repoRoot.resolve(service.module).resolve("src/main/java").resolve(service.configMapping);
        // Both services also read the settings mapped once in service-common: the bucket's, the logging switches and
        // the pixel limit.
        Path storage = repoRoot.resolve("storage/src/main/java/dev/thumbnail/storage/StorageConfig.java");
        Path shared = repoRoot.resolve("service-common/src/main/java/dev/thumbnail/service");
        Map<String, String> mapped = new TreeMap<>();
        for (Path root : new Path[] { mapping, shared.resolve("storage/BucketSettings.java"),
                shared.resolve("logging/LogSettings.java"), shared.resolve("image/ImageLimitSettings.java") }) {
            mapped.putAll(ConfigMappingReader.properties(root, storage));
        }
        Map<String, String> defaults = new TreeMap<>();
        mapped.forEach((name, value) -> {
            if (value != null) {
                defaults.put(name, value);
            }
        });
        return new ServiceConfig(service.module, properties, new TreeSet<>(mapped.keySet()), defaults);
    }

    private static Map<String, String> read(Path file, Service service) {
        Properties loaded = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            loaded.load(reader);
        } catch (IOException e) {
            throw new AssertionError(service + ": cannot read " + file, e);
        }
        Map<String, String> properties = new TreeMap<>();
        loaded.stringPropertyNames().forEach(key -> properties.put(key, loaded.getProperty(key)));
        return properties;
    }

    /**
     * Quarkus' rule from property to environment variable: upper case, every character that is not a letter or a
     * digit becomes {@code _} ({@code thumbnail.worker.send-timeout} → {@code THUMBNAIL_WORKER_SEND_TIMEOUT}).
     */
    static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /** Every property the service reads, without profile prefixes ({@code %prod.x} is {@code x}). */
    Set<String> propertyNames() {
        Set<String> names = new TreeSet<>(mappedProperties);
        properties.keySet().forEach(key -> names.add(key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key));
        return names;
    }

    /**
     * What the AWS SDK's default credential and region chains read (both services, through the storage module): the
     * S3 bucket's credentials, or IRSA's web identity.
     */
    static final Set<String> AWS_SDK_ENV = Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
            "AWS_REGION", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_PROFILE");

    /** Whether some property of the service is overridden by this environment variable, or the AWS SDK reads it. */
    boolean readsEnv(String envName) {
        return AWS_SDK_ENV.contains(envName)
                || propertyNames().stream().map(ServiceConfig::envName).anyMatch(envName::equals);
    }

    /** The value in the prod profile, which the containers run: {@code %prod.key} before {@code key}. */
    /** What the service runs with when nothing overrides it: the properties file, else the mapping's default. */
    Optional<String> prodValue(String key) {
        return Optional.ofNullable(properties.getOrDefault("%prod." + key,
                properties.getOrDefault(key, mappedDefaults.get(key))));
    }

    String requiredProdValue(String key) {
        return prodValue(key).orElseThrow(
                () -> new AssertionError(service + " has no value for " + key + " (neither in application.properties nor "
                        + "as a default of its configuration mapping)"));
    }

    int httpPort() {
        return Integer.parseInt(requiredProdValue("quarkus.http.port"));
    }

    /** Whether the packaged service has Quarkus' management interface (a build-time setting, read in the prod profile). */
    boolean hasManagementInterface() {
        return prodValue("quarkus.management.enabled").map(Boolean::parseBoolean).orElse(false);
    }

    /** Where health and metrics are served: the management interface's port where there is one, else the HTTP port. */
    int healthPort() {
        return hasManagementInterface() ? Integer.parseInt(requiredProdValue("quarkus.management.port")) : httpPort();
    }

    /** A duration as Quarkus reads one: {@code 30} (seconds), {@code 500ms}, {@code 30s}, {@code 2m}, or ISO-8601. */
    static Duration duration(String text) {
        Matcher compact = Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(text.trim());
        if (compact.matches()) {
            long amount = Long.parseLong(compact.group(1));
            String unit = compact.group(2) == null ? "s" : compact.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        String iso = text.trim().toUpperCase(Locale.ROOT);
        return Duration.parse(iso.startsWith("P") ? iso : "PT" + iso);
    }
}
