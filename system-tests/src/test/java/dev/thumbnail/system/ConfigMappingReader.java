package dev.thumbnail.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The property names that a {@code @ConfigMapping} interface declares, read from its source file: each method without
 * parameters is a property named after it in kebab case ({@code sendTimeout} → {@code send-timeout}), and a method that
 * returns one of the file's nested interfaces is a group whose methods continue the name.
 * <p>
 * A method's {@code @WithDefault("...")} is its default.
 * <p>
 * Enough for the plain style the services use. Renaming annotations would change the names silently, so their
 * presence fails loudly instead of being half understood.
 */
final class ConfigMappingReader {

    private static final Pattern ROOT = Pattern.compile(
            "@ConfigMapping\\s*\\(\\s*prefix\\s*=\\s*\"([^\"]+)\"\\s*\\)\\s*(?:public\\s+)?interface\\s+(\\w+)");
    private static final Pattern INTERFACE = Pattern.compile(
            "\\binterface\\s+(\\w+)(?:\\s+extends\\s+([\\w.,\\s]+?))?\\s*\\{");
    private static final Pattern METHOD = Pattern.compile("(?:@WithDefault\\(#(\\d+)\\)\\s*)?"
            + "([\\w.]+(?:<[\\w.<>,\\s?]*>)?)\\s+(\\w+)\\s*\\(\\s*\\)\\s*;");
    private static final Pattern DEFAULT = Pattern.compile("@WithDefault\\(\\s*\"((?:\\\\.|[^\"\\\\])*)\"\\s*\\)");
    private static final Pattern WRAPPER = Pattern.compile("Optional<(.+)>");
    private static final List<String> UNSUPPORTED = List.of("@WithName", "@WithParentName", "@WithUnnamedKey");

    private ConfigMappingReader() {
    }

    /**
     * Each property the mapping declares → its {@code @WithDefault}, or null when it has none.
     *
     * @param groups sources of group interfaces the mapping uses from other modules (the shared
     *               {@code StorageConfig}); their interfaces are looked up by simple name, as those of the mapping
     */
    static Map<String, String> properties(Path source, Path... groups) {
        String code = read(source);
        StringBuilder all = new StringBuilder(code);
        for (Path group : groups) {
            all.append('\n').append(read(group));
        }
        for (String annotation : UNSUPPORTED) {
            if (code.contains(annotation)) {
                throw new AssertionError(source + " uses " + annotation + ", which ConfigMappingReader does not follow");
            }
        }
        Matcher root = ROOT.matcher(code);
        if (!root.find()) {
            throw new AssertionError(source + " has no @ConfigMapping(prefix = \"...\") interface");
        }
        // Defaults out first, numbered, so that string literals can be blanked before braces are counted.
        List<String> values = new ArrayList<>();
        Matcher value = DEFAULT.matcher(all);
        StringBuffer numbered = new StringBuffer();
        while (value.find()) {
            values.add(value.group(1).replace("\\\"", "\"").replace("\\\\", "\\"));
            value.appendReplacement(numbered, "@WithDefault(#" + (values.size() - 1) + ")");
        }
        value.appendTail(numbered);
        Map<String, List<String>> supers = new LinkedHashMap<>();
        Map<String, Map<String, String[]>> interfaces = interfaces(
                numbered.toString().replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\""), supers);
        Map<String, String> names = new TreeMap<>();
        collect(interfaces, supers, root.group(2), root.group(1), names, values);
        return names;
    }

    private static String read(Path source) {
        try {
            return withoutComments(Files.readString(source));
        } catch (IOException e) {
            throw new AssertionError("cannot read the @ConfigMapping source " + source, e);
        }
    }

    private static void collect(Map<String, Map<String, String[]>> interfaces, Map<String, List<String>> supers,
            String type, String prefix, Map<String, String> names, List<String> defaults) {
        Map<String, String[]> methods = new LinkedHashMap<>();
        for (String parent : supers.getOrDefault(type, List.of())) {
            if (!interfaces.containsKey(parent)) {
                throw new AssertionError(type + " extends " + parent + ", whose source was not given");
            }
            collectMethods(interfaces, supers, parent, methods);
        }
        methods.putAll(interfaces.get(type));
        methods.forEach((method, declared) -> {
            String name = prefix + "." + kebab(method);
            Matcher optional = WRAPPER.matcher(declared[0]);
            String valueType = optional.matches() ? optional.group(1) : declared[0];
            if (interfaces.containsKey(valueType)) {
                collect(interfaces, supers, valueType, name, names, defaults);
            } else {
                names.put(name, declared[1] == null ? null : defaults.get(Integer.parseInt(declared[1])));
            }
        });
    }

    private static void collectMethods(Map<String, Map<String, String[]>> interfaces, Map<String, List<String>> supers,
            String type, Map<String, String[]> into) {
        for (String parent : supers.getOrDefault(type, List.of())) {
            collectMethods(interfaces, supers, parent, into);
        }
        into.putAll(interfaces.get(type));
    }

    /** Each interface of the file → its methods (name → return type and default's number), nested bodies excluded. */
    private static Map<String, Map<String, String[]>> interfaces(String code, Map<String, List<String>> supers) {
        Map<String, Map<String, String[]>> interfaces = new LinkedHashMap<>();
        Matcher declaration = INTERFACE.matcher(code);
        while (declaration.find()) {
            int open = declaration.end() - 1;
            String body = withoutNestedBlocks(code.substring(open + 1, closingBrace(code, open)));
            Map<String, String[]> methods = new LinkedHashMap<>();
            Matcher method = METHOD.matcher(body);
            while (method.find()) {
                methods.put(method.group(3), new String[] { method.group(2).replaceAll("\\s", ""), method.group(1) });
            }
            interfaces.put(declaration.group(1), methods);
            if (declaration.group(2) != null) {
                supers.put(declaration.group(1), java.util.Arrays.stream(declaration.group(2).split(","))
                        .map(String::strip).map(name -> name.substring(name.lastIndexOf('.') + 1)).toList());
            }
        }
        return interfaces;
    }

    private static int closingBrace(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            if (code.charAt(i) == '{') {
                depth++;
            } else if (code.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new AssertionError("unbalanced braces in a @ConfigMapping source");
    }

    private static String withoutNestedBlocks(String body) {
        StringBuilder flat = new StringBuilder();
        int depth = 0;
        for (char c : body.toCharArray()) {
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (depth == 0) {
                flat.append(c);
            }
        }
        return flat.toString();
    }

    /** Comments out, string literals kept: a {@code "http://..."} default must not start a comment. */
    private static String withoutComments(String source) {
        StringBuilder code = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 2;
                code.append(' ');
            } else if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? source.length() : end;
            } else if (source.charAt(i) == '"' || source.charAt(i) == '\'') {
                char quote = source.charAt(i);
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != quote) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                code.append(source, i, Math.min(end + 1, source.length()));
                i = end + 1;
            } else {
                code.append(source.charAt(i++));
            }
        }
        return code.toString();
    }

    private static String kebab(String method) {
        return method.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
