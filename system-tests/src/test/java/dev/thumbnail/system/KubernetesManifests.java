package dev.thumbnail.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Every object in {@code deploy/k8s/base/} (what {@code kubectl apply -k deploy/k8s} applies), each labelled with its file, kind and name. */
record KubernetesManifests(List<String> files, List<YamlNode> objects) {

    static final String DIR = "deploy/k8s/base";

    /** One environment variable of a container: its value when known, and where it comes from. */
    record EnvVar(String name, String value, String origin) {
    }

    static KubernetesManifests load(Path repoRoot) {
        List<String> files;
        try (Stream<Path> listing = Files.list(repoRoot.resolve(DIR))) {
            files = listing.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".yaml"))
                    .sorted().map(name -> DIR + "/" + name).toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + DIR, e);
        }
        List<YamlNode> objects = new ArrayList<>();
        for (String file : files) {
            for (YamlNode document : YamlNode.loadAll(repoRoot, file)) {
                String kind = document.get("kind").text();
                String name = document.find("metadata.name").map(YamlNode::text).orElse("(no name)");
                objects.add(document.labelled(kind + "/" + name));
            }
        }
        return new KubernetesManifests(files, objects);
    }

    List<YamlNode> ofKind(String kind) {
        return objects.stream().filter(object -> kind.equals(object.get("kind").text())).toList();
    }

    Optional<YamlNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(object -> object.find("metadata.name").map(YamlNode::text)
                .filter(name::equals).isPresent()).findFirst();
    }

    YamlNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(
                DIR + " has no " + kind + " named " + name + "; " + kind + "s there: "
                        + ofKind(kind).stream().map(o -> o.find("metadata.name").map(YamlNode::text).orElse("?")).toList()));
    }

    /** The container of the Deployment that has the Deployment's name. */
    YamlNode container(String deployment) {
        return get("Deployment", deployment).get("spec.template.spec.containers").itemNamed(deployment);
    }

    /** A probe's or a Service's port, named or numeric, as the number the container listens on. */
    static int containerPort(YamlNode port, YamlNode container) {
        if (port.value() instanceof Integer number) {
            return number;
        }
        return container.get("ports").itemNamed(port.text()).get("containerPort").integer();
    }

    /**
     * The container's environment as Kubernetes assembles it: {@code envFrom} sources in order (a later one wins),
     * then {@code env} over them. The keys of a referenced ConfigMap or Secret become variables, so they are read here;
     * a reference to an object these files do not define fails, unless it is marked optional.
     */
    Map<String, EnvVar> environment(YamlNode container) {
        Map<String, EnvVar> environment = new LinkedHashMap<>();
        for (YamlNode source : container.find("envFrom").map(YamlNode::items).orElse(List.of())) {
            String prefix = source.find("prefix").map(YamlNode::text).orElse("");
            for (String kind : List.of("ConfigMap", "Secret")) {
                String ref = kind.equals("ConfigMap") ? "configMapRef" : "secretRef";
                Optional<YamlNode> reference = source.find(ref);
                if (reference.isEmpty()) {
                    continue;
                }
                String name = reference.get().get("name").text();
                Optional<YamlNode> object = find(kind, name);
                if (object.isEmpty() && reference.get().find("optional").map(YamlNode::text).orElse("false").equals("true")) {
                    continue;
                }
                String origin = kind + " " + name + " via " + source;
                data(object.orElseGet(() -> get(kind, name)))
                        .forEach((key, value) -> environment.put(prefix + key, new EnvVar(prefix + key, value, origin)));
            }
        }
        for (YamlNode variable : container.find("env").map(YamlNode::items).orElse(List.of())) {
            EnvVar env = variable(variable);
            environment.put(env.name(), env);
        }
        return environment;
    }

    private EnvVar variable(YamlNode variable) {
        String name = variable.get("name").text();
        if (variable.has("value")) {
            return new EnvVar(name, variable.get("value").text(), variable.toString());
        }
        for (String kind : List.of("ConfigMap", "Secret")) {
            Optional<YamlNode> ref = variable.find(kind.equals("ConfigMap") ? "valueFrom.configMapKeyRef" : "valueFrom.secretKeyRef");
            if (ref.isPresent()) {
                String object = ref.get().get("name").text();
                String key = ref.get().get("key").text();
                return new EnvVar(name, data(get(kind, object)).get(key), kind + " " + object + " key " + key + " via " + variable);
            }
        }
        return new EnvVar(name, null, variable.toString());
    }

    /** The keys and values of a ConfigMap or Secret ({@code data} of a Secret is base64). */
    private static Map<String, String> data(YamlNode object) {
        Map<String, String> data = new LinkedHashMap<>();
        boolean secret = object.get("kind").text().equals("Secret");
        object.find("data").ifPresent(entries -> entries.entries().forEach((key, value) -> data.put(key,
                secret ? new String(Base64.getDecoder().decode(value.text()), StandardCharsets.UTF_8) : value.text())));
        object.find(secret ? "stringData" : "binaryData").ifPresent(
                entries -> entries.entries().forEach((key, value) -> data.put(key, value.text())));
        return data;
    }
}
