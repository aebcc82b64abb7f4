package dev.thumbnail.system;

import static dev.thumbnail.system.ServiceConfig.Service.API;
import static dev.thumbnail.system.ServiceConfig.Service.WORKER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.thumbnail.contracts.Topics;
import dev.thumbnail.system.KubernetesManifests.EnvVar;
import dev.thumbnail.system.ServiceConfig.Service;

/**
 * docker-compose.yml and deploy/k8s/ against what the services really read: ports, health endpoints, environment
 * variable names, topic and consumer group, partitions, the shared bucket. None of these files is run on the machines
 * the project is built on, so a wrong name or port would otherwise only show on the first deployment.
 * <p>
 * An environment variable counts as read when it is the override of a property of the service, by Quarkus' rule (upper
 * case, {@code _} for everything else). The properties are the keys of the service's application.properties plus
 * the names its {@code @ConfigMapping} interface declares, read from the source ({@link ConfigMappingReader}): that
 * covers settings with a default only in code, or none ({@code thumbnail.worker.concurrency}), and it follows the
 * code when a setting is added or renamed, which a copied list (such as the README's table) would not.
 */
class DeploymentFilesTest {

    private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    private static final String COMPOSE = "docker-compose.yml";

    /**
     * The properties that address another part of the system, and how to find the host names in their values. A
     * service that reads one must be given it: the default names localhost, which in a container is the container.
     */
    private static final Map<String, Function<String, List<String>>> BACKENDS = Map.of(
            "kafka.bootstrap.servers",
            value -> Arrays.stream(value.split(",")).map(address -> address.trim().replaceAll(":\\d+$", "")).toList(),
            "quarkus.redis.hosts",
            value -> Arrays.stream(value.split(",")).map(url -> URI.create(url.trim()).getHost()).toList());

    // ---- what the services read ------------------------------------------------------------------------------------

    /** Guards the source reading that every environment check relies on: it must see the mapping's whole tree. */
    @ParameterizedTest
    @EnumSource(Service.class)
    void configMappingReaderFindsEveryThumbnailPropertyOfTheService(Service service) {
        ServiceConfig config = config(service);
        List<String> unmapped = config.properties().keySet().stream()
                .map(key -> key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key)
                .filter(key -> key.startsWith("thumbnail.") && !config.mappedProperties().contains(key)).toList();
        assertEquals(List.of(), unmapped, service + "/src/main/resources/application.properties sets properties that "
                + service.configMapping + " does not declare (as ConfigMappingReader reads it: " + config.mappedProperties() + ")");
    }

    // ---- docker-compose.yml -------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = { "kafka", "redis", "api-service", "resize-worker", "kafka-ui" })
    void composeRunsEveryPartOfTheSystem(String name) {
        YamlNode service = compose().get("services." + name);
        assertTrue(service.has("image") || service.has("build"), service + " has neither an image nor a build");
    }

    @Test
    void composePublishesTheApiOnItsHttpPort() {
        int port = config(API).httpPort();
        YamlNode ports = composeService(API).get("ports");
        List<Integer> published = ports.items().stream().map(DeploymentFilesTest::publishedContainerPort).toList();
        assertTrue(published.contains(port),
                ports + " publishes container ports " + published + ", but api-service listens on " + port + " (quarkus.http.port)");
    }

    /** compose's keys are in the file for anyone to read: its API is on loopback unless API_BIND says otherwise. */
    @Test
    void composePublishesTheApiOnLoopbackByDefault() {
        for (YamlNode port : composeService(API).get("ports").items()) {
            assertTrue(withEmptyShell(port.text()).startsWith("127.0.0.1:"),
                    port + " publishes the API beyond loopback by default, with keys anyone can read");
        }
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void composeHealthCheckAsksReadinessOnTheServicePort(Service service) {
        YamlNode test = composeService(service).get("healthcheck.test");
        List<URI> urls = urls(command(test));
        assertFalse(urls.isEmpty(), test + " calls no http:// URL");
        for (URI url : urls) {
            assertEquals(config(service).healthPort(), url.getPort(),
                    test + " calls " + url + ", not the port where " + service + " serves its health");
            assertEquals("/q/health/ready", url.getPath(), test + " calls " + url + ", not the readiness endpoint");
        }
    }

    @Test
    void composeStartsEachServiceOnlyOnceItsDependenciesAreHealthy() {
        Map<String, YamlNode> services = compose().get("services").entries();
        int dependencies = 0;
        for (YamlNode service : services.values()) {
            Optional<YamlNode> dependsOn = service.find("depends_on");
            if (dependsOn.isEmpty()) {
                continue;
            }
            for (Map.Entry<String, YamlNode> dependency : dependsOn.get().entries().entrySet()) {
                assertEquals("service_healthy", dependency.getValue().get("condition").text(),
                        dependency.getValue() + " should wait for a healthy " + dependency.getKey());
                assertTrue(services.containsKey(dependency.getKey()), dependsOn.get() + " names no service " + dependency.getKey());
                assertTrue(services.get(dependency.getKey()).has("healthcheck"), dependency.getValue()
                        + " waits for service_healthy, but " + dependency.getKey() + " has no healthcheck to become healthy by");
                dependencies++;
            }
        }
        assertTrue(dependencies > 0, COMPOSE + " declares no depends_on at all");
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void composeSetsOnlyEnvironmentVariablesTheServiceReads(Service service) {
        Map<String, String> environment = composeEnvironment(service.module);
        assertFalse(environment.isEmpty(), composeService(service) + " sets no environment at all");
        List<String> unread = environment.keySet().stream().filter(name -> !config(service).readsEnv(name)).toList();
        assertEquals(List.of(), unread, composeService(service) + ".environment sets variables that " + service
                + " never reads: no key of its application.properties and no method of " + service.configMapping + " maps to them");
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void composePointsEachBackendTheServiceReadsAtAHealthyComposeService(Service service) {
        Map<String, YamlNode> services = compose().get("services").entries();
        YamlNode dependsOn = composeService(service).get("depends_on");
        int backends = 0;
        for (Map.Entry<String, Function<String, List<String>>> backend : BACKENDS.entrySet()) {
            if (config(service).prodValue(backend.getKey()).isEmpty()) {
                continue;
            }
            String address = composeEnv(service.module, ServiceConfig.envName(backend.getKey()));
            for (String host : backend.getValue().apply(address)) {
                assertTrue(services.containsKey(host), composeService(service) + " points " + backend.getKey() + " at "
                        + address + ", but " + host + " is not a service of " + COMPOSE);
                assertTrue(dependsOn.entries().containsKey(host), dependsOn + " should include " + host + ", the "
                        + backend.getKey() + " of " + service);
                backends++;
            }
        }
        assertTrue(backends > 0, service + " reads none of " + BACKENDS.keySet());
    }

    @Test
    void composePointsKafkaUiAtTheBrokerAddressTheServicesUse() {
        String ui = composeEnv("kafka-ui", "KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS");
        for (Service service : Service.values()) {
            assertEquals(composeEnv(service.module, "KAFKA_BOOTSTRAP_SERVERS"), ui,
                    COMPOSE + ": kafka-ui's KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS should be the KAFKA_BOOTSTRAP_SERVERS of " + service);
        }
        List<String> advertised = Arrays.stream(composeEnv("kafka", "KAFKA_ADVERTISED_LISTENERS").split(","))
                .map(listener -> listener.trim().replaceAll("^\\w+://", "")).toList();
        assertTrue(advertised.contains(ui),
                COMPOSE + ": the broker advertises " + advertised + ", so clients pointed at " + ui + " cannot follow it");
    }

    @Test
    void composeBuildsTheWorkerInTheModeThatQuarkusModeSelects() {
        YamlNode worker = composeService(WORKER);
        assertTrue(worker.get("build.dockerfile").text().endsWith("/Dockerfile.${QUARKUS_MODE:-jvm}"),
                worker.get("build.dockerfile") + " should end in Dockerfile.${QUARKUS_MODE:-jvm}");
        assertTrue(worker.get("image").text().contains("${QUARKUS_MODE:-jvm}"),
                worker.get("image") + " should name the mode, so that a native build never takes the JVM image's name");
    }

    /**
     * The native image's build stage copies what Maven needs to build the worker: the pom of every module the parent
     * lists (Maven reads them all, even with -pl), and the main sources of every module the worker depends on, the
     * test-scoped ones included (-am builds those too). A module added without a line there breaks only that build,
     * which no test here can run.
     */
    @Test
    void nativeDockerfileCopiesEveryModulePomAndTheSourcesTheWorkerBuildNeeds() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("resize-worker/src/main/docker/Dockerfile.native"));
        List<String> modules = Pattern.compile("<module>([^<]+)</module>")
                .matcher(Files.readString(ROOT.resolve("pom.xml"))).results().map(match -> match.group(1)).toList();
        List<String> missing = new ArrayList<>();
        for (String module : modules) {
            if (!dockerfile.contains(" " + module + "/pom.xml /code/" + module + "/pom.xml")) {
                missing.add(module + "/pom.xml");
            }
        }
        Set<String> needed = modulesNeededBy(WORKER.module, modules);
        for (String module : needed) {
            if (!dockerfile.contains(" " + module + "/src/main/ /code/" + module + "/src/main/")) {
                missing.add(module + "/src/main/");
            }
        }
        assertEquals(List.of(), missing, "resize-worker/src/main/docker/Dockerfile.native copies neither of these");
        assertTrue(needed.containsAll(List.of("contracts", "image-meta", "storage", "service-common")), needed.toString());
    }

    /**
     * deploy/local/run.sh rebuilds a service when a source of a module it is made from is newer than its jar: each
     * {@code stale} call must name every such module (a missing one leaves the service running old code after an edit
     * there, silently).
     */
    @ParameterizedTest
    @EnumSource(Service.class)
    void runScriptRebuildsTheServiceWhenAnyModuleItIsMadeFromChanges(Service service) throws IOException {
        String script = Files.readString(ROOT.resolve("deploy/local/run.sh"));
        Matcher stale = Pattern.compile("stale \"\\$[A-Z_]+\" ([a-z -]*\\b" + service.module + "\\b[a-z -]*)")
                .matcher(script);
        assertTrue(stale.find(), "deploy/local/run.sh has no stale check for " + service.module);
        List<String> modules = Pattern.compile("<module>([^<]+)</module>")
                .matcher(Files.readString(ROOT.resolve("pom.xml"))).results().map(match -> match.group(1)).toList();
        Set<String> main = new TreeSet<>(modulesNeededBy(service.module, modules));
        main.removeAll(List.of("test-fixtures", "dev-infra"));
        assertEquals(main, new TreeSet<>(List.of(stale.group(1).trim().split(" +"))),
                "the modules deploy/local/run.sh checks for " + service.module);
    }

    /**
     * {@code module} and every module of this repository it depends on, directly or not, in any scope (as Maven's -am
     * builds them).
     */
    private static Set<String> modulesNeededBy(String start, List<String> modules) throws IOException {
        Set<String> needed = new TreeSet<>();
        List<String> queue = new ArrayList<>(List.of(start));
        while (!queue.isEmpty()) {
            String module = queue.remove(0);
            if (needed.add(module)) {
                Pattern.compile("<groupId>dev\\.thumbnail</groupId>\\s*<artifactId>([^<]+)</artifactId>")
                        .matcher(Files.readString(ROOT.resolve(module).resolve("pom.xml"))).results()
                        .map(match -> match.group(1)).filter(modules::contains).forEach(queue::add);
            }
        }
        return needed;
    }

    @ParameterizedTest
    @CsvSource({ "api-service, jvm", "resize-worker, jvm", "resize-worker, native" })
    void composeBuildsEachServiceFromADockerfileThatExists(String name, String mode) {
        YamlNode build = compose().get("services." + name + ".build");
        String dockerfile = build.get("dockerfile").text().replace("${QUARKUS_MODE:-jvm}", mode);
        Path context = ROOT.resolve(build.get("context").text());
        assertTrue(Files.isRegularFile(context.resolve(dockerfile)), build + ": " + dockerfile + " does not exist");
    }

    /**
     * Every file a Dockerfile copies from the build context (the repository root) must survive .dockerignore: an
     * excluded source fails the image build with "not found", which no test here can run. Docker's rules: patterns are
     * matched from the context root, a pattern that matches a directory excludes what is in it, {@code !} re-includes,
     * and the last rule that matches decides. A source is checked up to its first wildcard.
     */
    @ParameterizedTest
    @ValueSource(strings = { "api-service/src/main/docker/Dockerfile.jvm", "resize-worker/src/main/docker/Dockerfile.jvm",
            "resize-worker/src/main/docker/Dockerfile.native" })
    void everySourceADockerfileCopiesIsInTheBuildContext(String dockerfile) throws IOException {
        List<String> rules = Files.readAllLines(ROOT.resolve(".dockerignore")).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        List<String> sources = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve(dockerfile))) {
            List<String> words = Arrays.stream(line.strip().split("\\s+")).toList();
            if (!words.get(0).equals("COPY") || words.stream().anyMatch(word -> word.startsWith("--from="))) {
                continue;
            }
            List<String> paths = words.stream().skip(1).filter(word -> !word.startsWith("--")).toList();
            sources.addAll(paths.subList(0, paths.size() - 1));
        }
        assertFalse(sources.isEmpty(), dockerfile + " copies nothing from the build context");
        List<String> excluded = new ArrayList<>();
        for (String source : sources) {
            String literal = source.replaceAll("/?[^/]*[*?\\[].*$", "").replaceAll("/$", "");
            if (ignored(literal, rules)) {
                excluded.add(source);
            }
        }
        assertEquals(List.of(), excluded, dockerfile + " copies these, but .dockerignore leaves them out of the context");
    }

    @Test
    void dockerignoreCheckSeesExclusionsAndReinclusions() {
        List<String> rules = List.of("deploy", "!deploy/jvm", "*/target/*", "!*/target/quarkus-app");
        assertTrue(ignored("deploy/k8s/base/secret.yaml", rules));
        assertFalse(ignored("deploy/jvm/api-service.options", rules));
        assertTrue(ignored("api-service/target/classes", rules));
        assertFalse(ignored("api-service/target/quarkus-app/lib", rules));
        assertFalse(ignored("mvnw", rules));
    }

    /** Whether .dockerignore's {@code rules} leave {@code path} (relative to the context root) out of the context. */
    private static boolean ignored(String path, List<String> rules) {
        boolean ignored = false;
        for (String rule : rules) {
            boolean include = rule.startsWith("!");
            String pattern = (include ? rule.substring(1) : rule).replaceAll("^/+", "").replaceAll("/+$", "");
            PathMatcher matcher = ROOT.getFileSystem().getPathMatcher("glob:" + pattern);
            for (Path prefix = Path.of(path); prefix != null; prefix = prefix.getParent()) {
                if (matcher.matches(prefix)) {
                    ignored = !include;
                    break;
                }
            }
        }
        return ignored;
    }

    @Test
    void composeSharesOneBucketVolumeAtTheStorageDirectoryOfBothServices() {
        Set<String> volumes = new TreeSet<>();
        for (Service service : Service.values()) {
            String directory = composeEnv(service.module, "THUMBNAIL_STORAGE_DIR");
            YamlNode mounts = composeService(service).get("volumes");
            Mount bucket = mounts.items().stream().map(Mount::of).filter(mount -> mount.target().equals(directory))
                    .findFirst().orElseThrow(() -> new AssertionError(mounts + " mounts nothing at THUMBNAIL_STORAGE_DIR " + directory));
            assertFalse(bucket.readOnly(), mounts + " mounts " + directory + " read-only, but " + service + " writes to it");
            volumes.add(String.valueOf(bucket.source()));
        }
        assertEquals(1, volumes.size(), COMPOSE + ": api-service and resize-worker should mount one volume at "
                + "THUMBNAIL_STORAGE_DIR, but mount " + volumes);
        String volume = volumes.iterator().next();
        assertTrue(compose().find("volumes").map(declared -> declared.entries().containsKey(volume)).orElse(false),
                COMPOSE + " should declare the named volume " + volume + " under volumes: it is the bucket both services share");
    }

    @ParameterizedTest
    @ValueSource(strings = { "THUMBNAIL_AUTH_API_KEYS", "THUMBNAIL_AUTH_ADMIN_KEYS" })
    void composeTurnsAuthenticationOnEvenWhenTheShellSetsNoKeys(String variable) {
        assertFalse(composeEnv(API.module, variable).isBlank(),
                composeService(API) + ".environment." + variable + " should default to a key: without keys the API is open");
    }

    // ---- deploy/k8s/ ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("kubernetesFiles")
    void k8sManifestParsesIntoNamedObjects(String file) {
        List<YamlNode> documents = YamlNode.loadAll(ROOT, file);
        assertFalse(documents.isEmpty(), file + " holds no document");
        for (YamlNode document : documents) {
            assertFalse(document.get("apiVersion").text().isBlank(), document + " has an empty apiVersion");
            if (!document.get("kind").text().equals("Kustomization")) {
                assertFalse(document.get("metadata.name").text().isBlank(), document + " has an empty metadata.name");
            }
        }
    }

    @Test
    void k8sKustomizationAppliesEveryManifest() {
        KubernetesManifests k8s = k8s();
        List<YamlNode> kustomizations = k8s.ofKind("Kustomization");
        assertEquals(1, kustomizations.size(), KubernetesManifests.DIR + " should hold one Kustomization");
        Set<String> listed = kustomizations.get(0).get("resources").items().stream()
                .map(resource -> KubernetesManifests.DIR + "/" + resource.text()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> manifests = k8s.files().stream().filter(file -> !file.endsWith("/kustomization.yaml"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(manifests, listed, kustomizations.get(0) + " should list every manifest beside it, and only those");
    }

    /**
     * {@code kubectl apply -k deploy/k8s} applies the base, and each kustomization's directory resources lie outside
     * its own directory's ancestors: kustomize refuses an overlay inside the directory of a base it builds on ("cycle
     * detected: candidate root ... contains visited root ...", kustomize 5.5), which is how deploy/k8s/fs-bucket, then
     * inside deploy/k8s and built on {@code ../}, failed on every cluster.
     */
    @Test
    void k8sKustomizationsBuildOnBasesOutsideThemselves() throws IOException {
        YamlNode root = YamlNode.loadAll(ROOT, "deploy/k8s/kustomization.yaml").get(0);
        assertEquals(List.of("base"), root.get("resources").items().stream().map(YamlNode::text).toList());
        List<Path> kustomizations;
        try (Stream<Path> files = Files.walk(ROOT.resolve("deploy/k8s"))) {
            kustomizations = files.filter(file -> file.getFileName().toString().equals("kustomization.yaml")).toList();
        }
        assertEquals(3, kustomizations.size(), kustomizations.toString());
        List<String> cycles = new ArrayList<>();
        for (Path kustomization : kustomizations) {
            Path dir = kustomization.getParent();
            for (YamlNode resource : YamlNode.loadAll(ROOT, ROOT.relativize(kustomization).toString()).get(0)
                    .get("resources").items()) {
                Path target = dir.resolve(resource.text()).normalize();
                assertTrue(Files.exists(target), kustomization + " names " + resource.text() + ", which does not exist");
                if (Files.isDirectory(target) && dir.startsWith(target)) {
                    cycles.add(ROOT.relativize(kustomization) + " -> " + resource.text());
                }
            }
        }
        assertEquals(List.of(), cycles, "kustomize refuses a base that contains the kustomization built on it");
    }

    @Test
    void k8sObjectsLiveInTheNamespaceTheManifestsCreate() {
        KubernetesManifests k8s = k8s();
        List<YamlNode> namespaces = k8s.ofKind("Namespace");
        assertEquals(1, namespaces.size(), KubernetesManifests.DIR + " should create one Namespace");
        String namespace = namespaces.get(0).get("metadata.name").text();
        for (YamlNode object : k8s.objects()) {
            String kind = object.get("kind").text();
            if (!kind.equals("Namespace") && !kind.equals("Kustomization")) {
                assertEquals(namespace, object.get("metadata.namespace").text(), object + " is outside the namespace " + namespace);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void k8sContainerExposesTheServiceHttpPort(Service service) {
        YamlNode ports = k8s().container(service.module).get("ports");
        List<Integer> exposed = ports.items().stream().map(port -> port.get("containerPort").integer()).toList();
        List<Integer> expected = config(service).hasManagementInterface()
                ? List.of(config(service).httpPort(), config(service).healthPort())
                : List.of(config(service).httpPort());
        assertEquals(expected, exposed, ports + " should expose quarkus.http.port of " + service
                + " and its management interface's port where it has one");
    }

    /**
     * The API's health and metrics are on its management interface so that what reaches its clients' port cannot
     * read them: the Service (what an Ingress routes to) publishes the HTTP port only, compose publishes the
     * management port on loopback only, and Prometheus is pointed at it.
     */
    @Test
    void theApisManagementInterfaceIsNotPublishedToItsClients() {
        ServiceConfig api = config(API);
        assertTrue(api.hasManagementInterface(), "api-service should serve health and metrics on a management interface");
        assertTrue(api.healthPort() != api.httpPort(), "the management interface shares the clients' port");
        YamlNode service = k8s().get("Service", API.module);
        YamlNode container = k8s().container(API.module);
        for (YamlNode port : service.get("spec.ports").items()) {
            assertEquals(api.httpPort(), KubernetesManifests.containerPort(port.get("targetPort"), container),
                    service + " publishes " + port + ", not only the HTTP port");
        }
        YamlNode annotations = k8s().get("Deployment", API.module).get("spec.template.metadata.annotations");
        assertEquals(String.valueOf(api.healthPort()), annotations.entries().get("prometheus.io/port").text(),
                annotations + ": Prometheus should scrape the management port");
        for (YamlNode port : composeService(API).get("ports").items()) {
            if (publishedContainerPort(port) == api.healthPort()) {
                assertTrue(port.text().startsWith("127.0.0.1:"), port + " publishes the management port beyond loopback");
            }
        }
    }

    static Stream<Arguments> probes() {
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("startupProbe", "/q/health/started");
        endpoints.put("livenessProbe", "/q/health/live");
        endpoints.put("readinessProbe", "/q/health/ready");
        return Arrays.stream(Service.values()).flatMap(service -> endpoints.entrySet().stream()
                .map(endpoint -> arguments(service, endpoint.getKey(), endpoint.getValue())));
    }

    @ParameterizedTest(name = "{0} {1} → {2}")
    @MethodSource("probes")
    void k8sProbeAsksItsHealthEndpointOnTheServicePort(Service service, String probe, String path) {
        YamlNode container = k8s().container(service.module);
        YamlNode httpGet = container.get(probe + ".httpGet");
        assertEquals(path, httpGet.get("path").text(), httpGet + " asks the wrong endpoint");
        assertEquals(config(service).healthPort(), KubernetesManifests.containerPort(httpGet.get("port"), container),
                httpGet.get("port") + " is not the port where " + service + " serves its health");
    }

    /**
     * Readiness asks the broker with a two-second deadline (KafkaTopicsCheck, KafkaBrokerCheck), and Kubernetes waits
     * one second unless told otherwise: a slow but healthy broker would take every pod out of service.
     */
    @ParameterizedTest
    @EnumSource(Service.class)
    void k8sReadinessProbeOutwaitsTheKafkaCheckDeadline(Service service) {
        YamlNode probe = k8s().container(service.module).get("readinessProbe");
        int timeout = probe.find("timeoutSeconds").map(YamlNode::integer).orElse(1);
        assertTrue(timeout >= 3, probe + " gives up after " + timeout + " s; readiness may take 2 s for Kafka alone (at least 3)");
    }

    /** run.sh and the container image start the JVM with the same options file (deploy/jvm/), one collector. */
    @ParameterizedTest
    @EnumSource(Service.class)
    void everyDeploymentRunsTheJvmWithTheServicesOptionsFile(Service service) throws IOException {
        String file = "deploy/jvm/" + service.module + ".options";
        List<String> options = Files.readAllLines(ROOT.resolve(file)).stream().map(String::strip)
                .filter(line -> line.startsWith("-")).toList();
        assertTrue(Files.readString(ROOT.resolve("deploy/local/run.sh")).contains("@\"$ROOT/" + file + "\""),
                "run.sh should start " + service + " with @" + file);
        String dockerfile = Files.readString(ROOT.resolve(service.module + "/src/main/docker/Dockerfile.jvm"));
        assertTrue(dockerfile.contains("COPY --chown=185 " + file + " /deployments/jvm.options"), dockerfile);
        assertTrue(dockerfile.contains("ENV JAVA_OPTS_APPEND=\"@/deployments/jvm.options "), dockerfile);
        String collector = options.stream().filter(option -> option.matches("-XX:\\+Use\\w+GC")).findFirst()
                .orElseThrow(() -> new AssertionError(file + " names no collector"));
        assertTrue(dockerfile.contains("ENV GC_CONTAINER_OPTIONS=\"" + collector + "\""),
                "the image must replace run-java.sh's default collector with " + collector);
    }

    /** The API's memory limit holds its heap, metaspace and code cache as its options file sets them, and more. */
    @Test
    void k8sApiMemoryLimitHoldsTheJvmItRuns() throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("deploy/jvm/api-service.options"))) {
            Matcher size = Pattern.compile("-(?:Xmx|XX:MaxMetaspaceSize=|XX:ReservedCodeCacheSize=)(\\d+)m").matcher(line.strip());
            if (size.matches()) {
                sizes.put(line.strip(), Long.parseLong(size.group(1)));
            }
        }
        assertEquals(3, sizes.size(), "heap, metaspace and code cache sizes in MB: " + sizes);
        String limit = k8s().container(API.module).get("resources.limits.memory").text();
        assertTrue(limit.endsWith("Mi"), limit);
        long total = sizes.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(Long.parseLong(limit.replace("Mi", "")) >= total + 64,
                "limit " + limit + " should exceed " + sizes + " by at least 64 MiB for threads and buffers");
    }

    /**
     * The native worker caps its heap as the JVM build does (the figure LargeImageMemoryTest proves enough): its
     * image's command carries the options file's -Xmx, and neither compose nor Kubernetes replaces that command. The
     * Kubernetes memory limit holds that heap with room for the native decoders' buffers and the threads.
     */
    @Test
    void nativeWorkerRunsWithTheWorkersHeapCap() throws IOException {
        String heap = Files.readAllLines(ROOT.resolve("deploy/jvm/resize-worker.options")).stream().map(String::strip)
                .filter(line -> line.matches("-Xmx\\d+m")).findFirst()
                .orElseThrow(() -> new AssertionError("deploy/jvm/resize-worker.options sets no -Xmx in MB"));
        String dockerfile = Files.readString(ROOT.resolve("resize-worker/src/main/docker/Dockerfile.native"));
        assertTrue(dockerfile.contains("CMD [\"./application\", \"-Dquarkus.http.host=0.0.0.0\", \"" + heap + "\"]"),
                "Dockerfile.native's CMD should run ./application with " + heap);
        YamlNode container = k8s().container(WORKER.module);
        assertFalse(container.has("command") || container.has("args"), container + " replaces the image's command");
        assertFalse(composeService(WORKER).has("command"), "compose replaces the worker image's command");
        String limit = container.get("resources.limits.memory").text();
        assertTrue(limit.endsWith("Mi"), limit);
        assertTrue(Long.parseLong(limit.replace("Mi", "")) >= Long.parseLong(heap.replaceAll("\\D", "")) + 128,
                "limit " + limit + " should exceed " + heap + " by at least 128 MiB");
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void k8sContainerRequestsAndLimitsCpuAndMemory(Service service) {
        YamlNode resources = k8s().container(service.module).get("resources");
        for (String bound : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                assertFalse(resources.get(bound + "." + resource).text().isBlank(), resources + " has an empty " + bound + "." + resource);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void k8sSetsOnlyEnvironmentVariablesTheServiceReads(Service service) {
        KubernetesManifests k8s = k8s();
        Map<String, EnvVar> environment = k8s.environment(k8s.container(service.module));
        assertFalse(environment.isEmpty(), k8s.container(service.module) + " has no environment at all");
        List<String> unread = environment.values().stream().filter(env -> !config(service).readsEnv(env.name()))
                .map(env -> env.name() + " (from " + env.origin() + ")").toList();
        assertEquals(List.of(), unread, "Deployment " + service + " sets variables that it never reads: no key of its "
                + "application.properties and no method of " + service.configMapping + " maps to them");
    }

    @ParameterizedTest
    @EnumSource(Service.class)
    void k8sGivesTheServiceAnAddressForEachBackendItReads(Service service) {
        KubernetesManifests k8s = k8s();
        Map<String, EnvVar> environment = k8s.environment(k8s.container(service.module));
        int backends = 0;
        for (Map.Entry<String, Function<String, List<String>>> backend : BACKENDS.entrySet()) {
            if (config(service).prodValue(backend.getKey()).isEmpty()) {
                continue;
            }
            EnvVar env = environment.get(ServiceConfig.envName(backend.getKey()));
            assertNotNull(env, "Deployment " + service + " should set " + ServiceConfig.envName(backend.getKey())
                    + ": it reads " + backend.getKey() + ", whose default names the pod itself");
            assertNotNull(env.value(), env.origin() + " has no value");
            for (String host : backend.getValue().apply(env.value())) {
                assertFalse(host == null || host.equals("localhost") || host.startsWith("127."),
                        env.origin() + " points " + env.name() + " at the pod itself: " + env.value());
                backends++;
            }
        }
        assertTrue(backends > 0, service + " reads none of " + BACKENDS.keySet());
    }

    @Test
    void k8sGivesTheApiItsKeysFromASecret() {
        KubernetesManifests k8s = k8s();
        EnvVar keys = k8s.environment(k8s.container(API.module)).get("THUMBNAIL_AUTH_API_KEYS");
        assertNotNull(keys, "Deployment api-service gets no THUMBNAIL_AUTH_API_KEYS: the API would be open to anyone");
        assertTrue(keys.origin().startsWith("Secret "), "THUMBNAIL_AUTH_API_KEYS should come from a Secret, not " + keys.origin());
        assertFalse(keys.value() == null || keys.value().isBlank(), keys.origin() + " holds no keys");
    }

    @Test
    void k8sServiceRoutesToTheApiContainerPort() {
        KubernetesManifests k8s = k8s();
        YamlNode service = k8s.get("Service", API.module);
        Map<String, YamlNode> selector = service.get("spec.selector").entries();
        Map<String, YamlNode> labels = k8s.get("Deployment", API.module).get("spec.template.metadata.labels").entries();
        assertFalse(selector.isEmpty(), service + " selects no pods");
        selector.forEach((label, value) -> assertEquals(value.text(),
                Optional.ofNullable(labels.get(label)).map(YamlNode::text).orElse(null),
                value + " selects pods that the Deployment api-service does not label so"));
        YamlNode container = k8s.container(API.module);
        for (YamlNode port : service.get("spec.ports").items()) {
            YamlNode target = port.find("targetPort").orElseGet(() -> port.get("port"));
            assertEquals(config(API).httpPort(), KubernetesManifests.containerPort(target, container),
                    target + " is not quarkus.http.port of api-service");
        }
    }

    @Test
    void kedaScalesTheWorkerDeployment() {
        KubernetesManifests k8s = k8s();
        YamlNode target = only(k8s, "ScaledObject").get("spec.scaleTargetRef");
        assertEquals("Deployment", target.find("kind").map(YamlNode::text).orElse("Deployment"), target + " should be a Deployment");
        assertEquals(WORKER.module, target.get("name").text(), target + " should name the worker's Deployment");
        k8s.get("Deployment", target.get("name").text());
    }

    @Test
    void kedaWatchesTheWorkersTopicConsumerGroupAndBroker() {
        KubernetesManifests k8s = k8s();
        List<YamlNode> triggers = only(k8s, "ScaledObject").get("spec.triggers").items().stream()
                .filter(trigger -> trigger.get("type").text().equals("kafka")).toList();
        assertEquals(1, triggers.size(), only(k8s, "ScaledObject") + " should have one kafka trigger");
        YamlNode metadata = triggers.get(0).get("metadata");
        assertEquals(Topics.RESIZE_REQUESTS, metadata.get("topic").text(),
                metadata.get("topic") + " is not the topic the worker consumes");
        assertEquals(Topics.WORKER_GROUP, metadata.get("consumerGroup").text(),
                metadata.get("consumerGroup") + " is not the worker's consumer group");
        EnvVar broker = k8s.environment(k8s.container(WORKER.module)).get("KAFKA_BOOTSTRAP_SERVERS");
        assertNotNull(broker, "Deployment resize-worker sets no KAFKA_BOOTSTRAP_SERVERS");
        assertEquals(broker.value(), metadata.get("bootstrapServers").text(),
                metadata.get("bootstrapServers") + " is not the broker the worker uses (" + broker.origin() + ")");
    }

    @Test
    void kedaAddsNoMoreWorkersThanTheTopicHasPartitions() {
        KubernetesManifests k8s = k8s();
        EnvVar override = k8s.environment(k8s.container(API.module)).get("THUMBNAIL_KAFKA_PARTITIONS");
        int partitions = Integer.parseInt(override != null ? override.value() : config(API).requiredProdValue("thumbnail.kafka.partitions"));
        YamlNode max = only(k8s, "ScaledObject").get("spec.maxReplicaCount");
        assertTrue(max.integer() <= partitions, max + " is " + max.integer() + ", but the API creates its topics with "
                + partitions + " partitions: the extra workers would sit idle");
    }

    @Test
    void kedaAloneSetsTheWorkerReplicaCount() {
        YamlNode spec = k8s().get("Deployment", WORKER.module).get("spec");
        assertFalse(spec.has("replicas"), spec + " sets replicas, which every kubectl apply would reset under KEDA");
    }

    /** The parts without authentication of their own are published on the host's loopback interface only. */
    @Test
    void composePublishesTheBrokerKafkaUiAndMinioConsoleOnLoopbackOnly() {
        for (String name : List.of("kafka", "kafka-ui", "minio")) {
            for (YamlNode port : compose().get("services." + name + ".ports").items()) {
                assertTrue(port.text().startsWith("127.0.0.1:"), name + " publishes " + port.text()
                        + " on every interface of the host");
            }
        }
        assertEquals("true", compose().get("services.kafka-ui.environment").entries()
                .get("KAFKA_CLUSTERS_0_READONLY").text(), "Kafka UI should be read-only");
    }

    @Test
    void theHpaAloneSetsTheApiReplicaCount() {
        YamlNode spec = k8s().get("Deployment", API.module).get("spec");
        assertFalse(spec.has("replicas"), spec + " sets replicas, which every kubectl apply would reset under the HPA");
    }

    /**
     * Both services run as the one ServiceAccount the base defines (where IRSA's role is annotated), without an API
     * token, and each has a disruption budget that lets a drain take one pod at a time.
     */
    @ParameterizedTest
    @EnumSource(Service.class)
    void runsAsTheServiceAccountAndHasADisruptionBudget(Service service) {
        KubernetesManifests k8s = k8s();
        YamlNode account = k8s.get("ServiceAccount", "thumbnail");
        assertEquals("false", account.get("automountServiceAccountToken").text(), account.toString());
        assertEquals("thumbnail", k8s.get("Deployment", service.module).get("spec.template.spec.serviceAccountName")
                .text());
        YamlNode budget = k8s.get("PodDisruptionBudget", service.module).get("spec");
        assertEquals(service.module, budget.get("selector.matchLabels").entries().get("app.kubernetes.io/name").text(),
                budget.toString());
        assertEquals(1, budget.get("maxUnavailable").integer(), budget.toString());
    }

    @Test
    void hpaScalesTheApiDeployment() {
        KubernetesManifests k8s = k8s();
        YamlNode target = only(k8s, "HorizontalPodAutoscaler").get("spec.scaleTargetRef");
        assertEquals("apps/v1", target.get("apiVersion").text(), target + " should target apps/v1");
        assertEquals("Deployment", target.get("kind").text(), target + " should target a Deployment");
        assertEquals(API.module, target.get("name").text(), target + " should name the API's Deployment");
        k8s.get("Deployment", target.get("name").text());
    }

    /** The pods share no disk by default: the bucket is on S3, its credentials from a Secret (or the pod's role). */
    @ParameterizedTest
    @EnumSource(Service.class)
    void k8sPutsTheBucketOnS3ByDefault(Service service) {
        KubernetesManifests k8s = k8s();
        YamlNode container = k8s.container(service.module);
        Map<String, EnvVar> environment = k8s.environment(container);
        assertEquals("s3", Optional.ofNullable(environment.get("THUMBNAIL_STORAGE_TYPE")).map(EnvVar::value)
                .orElse(null), "Deployment " + service + " should use the S3 bucket");
        EnvVar bucket = environment.get("THUMBNAIL_STORAGE_S3_BUCKET");
        assertNotNull(bucket, "Deployment " + service + " names no bucket");
        assertEquals(environment.get("THUMBNAIL_STORAGE_S3_BUCKET").value(),
                k8s.environment(k8s.container(service == API ? WORKER.module : API.module))
                        .get("THUMBNAIL_STORAGE_S3_BUCKET").value(), "both services use one bucket");
        EnvVar key = environment.get("AWS_ACCESS_KEY_ID");
        assertNotNull(key, "Deployment " + service + " gets no AWS_ACCESS_KEY_ID");
        assertTrue(key.origin().startsWith("Secret "), "the access key should come from a Secret, not " + key.origin());
        YamlNode volumes = k8s.get("Deployment", service.module).find("spec.template.spec.volumes")
                .orElseThrow();
        assertTrue(volumes.items().stream().noneMatch(volume -> volume.has("persistentVolumeClaim")),
                volumes + ": no shared volume by default");
        assertTrue(k8s.ofKind("PersistentVolumeClaim").isEmpty(), "no claim by default");
    }

    /** The documented alternative, deploy/k8s/fs-bucket: a ReadWriteMany claim mounted at the storage directory. */
    @Test
    void k8sFsBucketOverlayMountsAReadWriteManyClaimAtTheStorageDirectory() {
        String dir = "deploy/k8s/fs-bucket";
        YamlNode claim = YamlNode.loadAll(ROOT, dir + "/bucket-pvc.yaml").get(0);
        assertTrue(claim.get("spec.accessModes").items().stream().map(YamlNode::text).toList()
                .contains("ReadWriteMany"), claim + " should be ReadWriteMany: pods on any node write the bucket");
        YamlNode overlay = YamlNode.loadAll(ROOT, dir + "/kustomization.yaml").get(0);
        assertEquals(List.of("../base", "bucket-pvc.yaml"), overlay.get("resources").items().stream().map(YamlNode::text)
                .toList());
        Map<String, Object> values = new java.util.HashMap<>();
        List<String> targets = new ArrayList<>();
        for (YamlNode patch : overlay.get("patches").items()) {
            targets.add(patch.get("target.kind").text() + "/" + patch.get("target.name").text());
            if (patch.get("target.kind").text().equals("Secret")) {
                assertTrue(patch.get("patch").text().startsWith("$patch: delete"), patch + " should delete the Secret");
                continue;
            }
            List<?> operations = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                    new org.yaml.snakeyaml.LoaderOptions())).load(patch.get("patch").text());
            for (Object operation : operations) {
                Map<?, ?> op = (Map<?, ?>) operation;
                values.put(String.valueOf(op.get("path")), op.get("value"));
            }
        }
        assertEquals(List.of("ConfigMap/thumbnail-common", "Deployment/api-service|resize-worker",
                "Secret/thumbnail-s3-credentials"), targets);
        assertEquals("fs", values.get("/data/THUMBNAIL_STORAGE_TYPE"));
        String directory = String.valueOf(values.get("/data/THUMBNAIL_STORAGE_DIR"));
        Map<?, ?> volume = (Map<?, ?>) values.get("/spec/template/spec/volumes/-");
        Map<?, ?> mount = (Map<?, ?>) values.get("/spec/template/spec/containers/0/volumeMounts/-");
        assertEquals(claim.get("metadata.name").text(),
                ((Map<?, ?>) volume.get("persistentVolumeClaim")).get("claimName"), volume.toString());
        assertEquals(volume.get("name"), mount.get("name"), mount.toString());
        assertEquals(directory, mount.get("mountPath"), mount + " is not THUMBNAIL_STORAGE_DIR " + directory);
    }

    /** COMPOSE_PROFILES=s3 THUMBNAIL_STORAGE_TYPE=s3: both services on the MinIO service, with its credentials. */
    @ParameterizedTest
    @EnumSource(Service.class)
    void composeSwitchesBothServicesToMinio(Service service) {
        YamlNode minio = compose().get("services.minio");
        assertEquals(List.of("s3"), minio.get("profiles").items().stream().map(YamlNode::text).toList());
        Map<String, String> environment = composeEnvironment(service.module);
        assertEquals("${THUMBNAIL_STORAGE_TYPE:-fs}", environment.get("THUMBNAIL_STORAGE_TYPE"));
        assertEquals("http://minio:9000", environment.get("THUMBNAIL_STORAGE_S3_ENDPOINT"));
        assertEquals("true", environment.get("THUMBNAIL_STORAGE_S3_PATH_STYLE_ACCESS"));
        Map<String, String> server = composeEnvironment("minio");
        assertEquals(server.get("MINIO_ROOT_USER"), environment.get("AWS_ACCESS_KEY_ID"));
        assertEquals(server.get("MINIO_ROOT_PASSWORD"), environment.get("AWS_SECRET_ACCESS_KEY"));
    }

    /**
     * Kubernetes and Docker kill the worker when its grace period ends. On SIGTERM Quarkus first waits up to
     * quarkus.shutdown.timeout for HTTP requests in flight; then the worker hands back the images in progress and closes
     * its Kafka clients, committing offsets and flushing completion events: that needs a margin before the kill.
     */
    @ParameterizedTest
    @ValueSource(strings = { COMPOSE, KubernetesManifests.DIR })
    void workerGracePeriodOutlastsItsShutdown(String deployment) {
        ServiceConfig worker = config(WORKER);
        Duration shutdown = ServiceConfig.duration(worker.requiredProdValue("quarkus.shutdown.timeout"));
        YamlNode grace = deployment.equals(COMPOSE) ? composeService(WORKER).get("stop_grace_period")
                : k8s().get("Deployment", WORKER.module).get("spec.template.spec.terminationGracePeriodSeconds");
        Duration period = grace.value() instanceof Integer seconds ? Duration.ofSeconds(seconds) : composeDuration(grace.text());
        Duration closeMargin = Duration.ofSeconds(10);
        assertTrue(period.compareTo(shutdown.plus(closeMargin)) >= 0, grace + " is " + period.toSeconds()
                + " s; it should be at least quarkus.shutdown.timeout (" + shutdown.toSeconds() + " s) plus "
                + closeMargin.toSeconds() + " s to hand back the images in progress and close the Kafka clients");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static ServiceConfig config(Service service) {
        return ServiceConfig.load(ROOT, service);
    }

    private static YamlNode compose() {
        List<YamlNode> documents = YamlNode.loadAll(ROOT, COMPOSE);
        assertEquals(1, documents.size(), COMPOSE + " should be one YAML document");
        return documents.get(0);
    }

    private static YamlNode composeService(Service service) {
        return compose().get("services." + service.module);
    }

    private static KubernetesManifests k8s() {
        return KubernetesManifests.load(ROOT);
    }

    static Stream<String> kubernetesFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve(KubernetesManifests.DIR))) {
            List<String> yaml = files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".yaml"))
                    .sorted().map(name -> KubernetesManifests.DIR + "/" + name).toList();
            assertFalse(yaml.isEmpty(), KubernetesManifests.DIR + " holds no manifest");
            return yaml.stream();
        }
    }

    private static YamlNode only(KubernetesManifests k8s, String kind) {
        List<YamlNode> objects = k8s.ofKind(kind);
        assertEquals(1, objects.size(), KubernetesManifests.DIR + " should hold one " + kind + ", holds " + objects);
        return objects.get(0);
    }

    /** The service's environment as written: map or list form; a variable without a value maps to null. */
    private static Map<String, String> composeEnvironment(String service) {
        Optional<YamlNode> environment = compose().find("services." + service + ".environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment.isEmpty()) {
            return variables;
        }
        if (environment.get().value() instanceof List) {
            for (YamlNode item : environment.get().items()) {
                String[] variable = item.text().split("=", 2);
                variables.put(variable[0], variable.length == 2 ? variable[1] : null);
            }
        } else {
            environment.get().entries().forEach((name, value) -> variables.put(name, value.isNull() ? null : value.text()));
        }
        return variables;
    }

    /** A variable's value as Compose resolves it when the shell sets nothing; fails when it is not set at all. */
    private static String composeEnv(String service, String name) {
        Map<String, String> environment = composeEnvironment(service);
        assertTrue(environment.containsKey(name), COMPOSE + ": services." + service + ".environment has no " + name);
        assertNotNull(environment.get(name), COMPOSE + ": services." + service + ".environment." + name
                + " has no value, so it is only set when the shell sets it");
        return withEmptyShell(environment.get(name));
    }

    /** {@code ${VAR:-default}} and {@code ${VAR-default}} become the default, {@code ${VAR}} nothing. */
    private static String withEmptyShell(String value) {
        return Pattern.compile("\\$\\{\\w+(?::?-([^}]*))?}").matcher(value)
                .replaceAll(match -> Matcher.quoteReplacement(match.group(1) == null ? "" : match.group(1)));
    }

    /** Compose's duration format: {@code 90s}, {@code 1m30s}, {@code 500ms}. */
    private static Duration composeDuration(String text) {
        Matcher part = Pattern.compile("(\\d+)(h|ms|m|s|us)").matcher(text);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2)) {
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "ms" -> Duration.ofMillis(amount);
                default -> Duration.ofNanos(amount * 1000);
            });
            end = part.end();
        }
        assertTrue(end == text.length() && end > 0, "'" + text + "' is not a Compose duration");
        return total;
    }

    private static int publishedContainerPort(YamlNode port) {
        if (port.has("target")) {
            return port.get("target").integer();
        }
        String mapping = withEmptyShell(port.text());
        return Integer.parseInt(mapping.substring(mapping.lastIndexOf(':') + 1).replaceAll("/\\w+$", ""));
    }

    private static String command(YamlNode test) {
        return test.value() instanceof List ? test.items().stream().map(YamlNode::text).collect(Collectors.joining(" ")) : test.text();
    }

    private static List<URI> urls(String command) {
        List<URI> urls = new ArrayList<>();
        Matcher url = Pattern.compile("https?://[^\\s\"']+").matcher(command);
        while (url.find()) {
            urls.add(URI.create(url.group()));
        }
        return urls;
    }

    /** A Compose volume entry, short ({@code bucket:/data/bucket:ro}) or long form. */
    private record Mount(String source, String target, boolean readOnly) {
        static Mount of(YamlNode entry) {
            if (entry.value() instanceof Map) {
                return new Mount(entry.find("source").map(YamlNode::text).orElse(null), entry.get("target").text(),
                        entry.find("read_only").map(YamlNode::text).orElse("false").equals("true"));
            }
            String[] parts = entry.text().split(":");
            return parts.length == 1 ? new Mount(null, parts[0], false)
                    : new Mount(parts[0], parts[1], parts.length > 2 && List.of(parts[2].split(",")).contains("ro"));
        }
    }
}
