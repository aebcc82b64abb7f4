package dev.thumbnail.system;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A node of a parsed YAML document that knows where it sits, so that every failed lookup names the file and the item
 * ({@code deploy/k8s/base/api-service.yaml (Deployment/api-service) at spec.template.spec.containers[api-service]}).
 */
record YamlNode(String where, String path, Object value) {

    /** Every non-empty document of the file. Duplicate keys are an error: YAML would silently keep the last one. */
    static List<YamlNode> loadAll(Path repoRoot, String file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        List<YamlNode> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(repoRoot.resolve(file))) {
            for (Object document : yaml.loadAll(reader)) {
                if (document != null) {
                    documents.add(new YamlNode(file, "", document));
                }
            }
        } catch (IOException | YAMLException e) {
            throw new AssertionError(file + " does not parse: " + e.getMessage(), e);
        }
        return documents;
    }

    /** The same document under a new label, e.g. its kind and name. */
    YamlNode labelled(String label) {
        return new YamlNode(where + " (" + label + ")", path, value);
    }

    /** The node at a dotted path of map keys; fails naming the first key that is missing. */
    YamlNode get(String dottedPath) {
        YamlNode node = this;
        for (String key : dottedPath.split("\\.")) {
            node = node.child(key);
        }
        return node;
    }

    Optional<YamlNode> find(String dottedPath) {
        YamlNode node = this;
        for (String key : dottedPath.split("\\.")) {
            if (!(node.value instanceof Map<?, ?> map) || !map.containsKey(key)) {
                return Optional.empty();
            }
            node = node.child(key);
        }
        return Optional.of(node);
    }

    boolean has(String dottedPath) {
        return find(dottedPath).isPresent();
    }

    /** Map entries in document order, keys as text. */
    Map<String, YamlNode> entries() {
        if (!(value instanceof Map<?, ?> map)) {
            throw new AssertionError(this + " should be a map, but is " + describe());
        }
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        map.forEach((key, child) -> entries.put(String.valueOf(key), at(String.valueOf(key), child)));
        return entries;
    }

    List<YamlNode> items() {
        if (!(value instanceof List<?> list)) {
            throw new AssertionError(this + " should be a list, but is " + describe());
        }
        List<YamlNode> items = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            items.add(new YamlNode(where, path + "[" + i + "]", list.get(i)));
        }
        return items;
    }

    /** The list item whose {@code name} is the given one, as Kubernetes lists of containers, ports and env go. */
    YamlNode itemNamed(String name) {
        List<String> names = new ArrayList<>();
        for (YamlNode item : items()) {
            Optional<YamlNode> itemName = item.find("name");
            if (itemName.isPresent() && name.equals(itemName.get().text())) {
                return new YamlNode(where, path + "[" + name + "]", item.value);
            }
            itemName.ifPresent(n -> names.add(n.text()));
        }
        throw new AssertionError(this + " has no item named " + name + " (names: " + names + ")");
    }

    /** A scalar as text (numbers and booleans included); fails on a missing value, a map or a list. */
    String text() {
        if (value == null || value instanceof Map || value instanceof List) {
            throw new AssertionError(this + " should be a single value, but is " + describe());
        }
        return String.valueOf(value);
    }

    int integer() {
        if (!(value instanceof Integer number)) {
            throw new AssertionError(this + " should be a whole number, but is " + describe());
        }
        return number;
    }

    boolean isNull() {
        return value == null;
    }

    private YamlNode child(String key) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new AssertionError(this + " should be a map with " + key + ", but is " + describe());
        }
        if (!map.containsKey(key)) {
            throw new AssertionError(this + " has no " + key + " (keys: " + map.keySet() + ")");
        }
        return at(key, map.get(key));
    }

    private YamlNode at(String key, Object child) {
        return new YamlNode(where, path.isEmpty() ? key : path + "." + key, child);
    }

    private String describe() {
        return value == null ? "empty" : value instanceof Map ? "a map" : value instanceof List ? "a list" : "'" + value + "'";
    }

    @Override
    public String toString() {
        return path.isEmpty() ? where : where + " at " + path;
    }
}
