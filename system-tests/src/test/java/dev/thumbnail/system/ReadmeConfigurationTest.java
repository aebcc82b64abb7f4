package dev.thumbnail.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.thumbnail.system.ServiceConfig.Service;

/**
 * Each default lives in one place, the services' {@code @ConfigMapping} interfaces (the logging switches, read by
 * Quarkus before the mapping exists, in the properties files); the README's configuration table documents them and
 * must say the same. Read from the sources, as {@link ServiceConfig} does.
 */
class ReadmeConfigurationTest {

    private static final Path ROOT = Path.of(System.getProperty("repo.root", "..")).toAbsolutePath().normalize();
    /** A table row: the property cell, the environment cell, the default cell. */
    private static final Pattern ROW = Pattern.compile("^\\| ([^|]+) \\| ([^|]*) \\| ([^|]*) \\|");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void everyDefaultInTheCodeIsTheReadmes() throws IOException {
        Map<String, String> readme = readmeDefaults();
        List<String> wrong = new ArrayList<>();
        for (Service service : Service.values()) {
            defaults(service).forEach((property, value) -> {
                if (!readme.containsKey(property)) {
                    wrong.add(property + " (default " + value + " in " + service + ") has no row in the README");
                } else if (readme.get(property) != null && !readme.get(property).equals(value)) {
                    wrong.add(property + ": the README says " + readme.get(property) + ", " + service + " has " + value);
                }
            });
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyDefaultTheReadmeGivesIsInTheCode() throws IOException {
        Map<String, String> code = new TreeMap<>();
        for (Service service : Service.values()) {
            code.putAll(defaults(service));
        }
        List<String> wrong = new ArrayList<>();
        readmeDefaults().forEach((property, value) -> {
            if (value != null && !value.equals(code.get(property))) {
                wrong.add(property + ": the README says " + value + ", the code " + code.get(property));
            }
        });
        assertEquals(List.of(), wrong);
        assertTrue(code.size() > 30, "the mappings' defaults were read: " + code);
    }

    /**
     * The {@code thumbnail.*} rows: property → its default when the cell gives a literal, null when it describes one
     * ("number of cores", "empty"). {@code a.b.c} / {@code d} rows name {@code a.b.c} and {@code a.b.d}, with their
     * defaults in the same order (or one for both).
     */
    private static Map<String, String> readmeDefaults() throws IOException {
        Map<String, String> defaults = new TreeMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
            Matcher row = ROW.matcher(line);
            if (!row.find() || !row.group(1).startsWith("`thumbnail.")) {
                continue;
            }
            List<String> names = codes(row.group(1));
            String first = names.get(0);
            List<String> properties = new ArrayList<>();
            properties.add(first);
            for (String more : names.subList(1, names.size())) {
                properties.add(first.substring(0, first.lastIndexOf('.') + 1) + more);
            }
            String cell = row.group(3).strip();
            List<String> values = codes(cell);
            boolean literal = !values.isEmpty() && cell.replaceAll("`[^`]+`", "").replace("/", "").isBlank();
            for (int i = 0; i < properties.size(); i++) {
                defaults.put(properties.get(i), !literal ? null : values.get(values.size() == 1 ? 0 : i));
            }
        }
        return defaults;
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher code = CODE.matcher(cell);
        while (code.find()) {
            codes.add(code.group(1));
        }
        return codes;
    }

    /** The service's defaults: its mapping's, and the {@code thumbnail.*} values its properties file sets. */
    private static Map<String, String> defaults(Service service) {
        ServiceConfig config = ServiceConfig.load(ROOT, service);
        Map<String, String> defaults = new TreeMap<>(config.mappedDefaults());
        config.properties().forEach((key, value) -> {
            if (key.startsWith("thumbnail.") && !value.isEmpty()) {
                defaults.put(key, value);
            }
        });
        return defaults;
    }

}
