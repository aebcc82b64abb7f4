package dev.thumbnail.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The README starts with the two commands a newcomer runs, and they are the ones that exist: the "Run it" and "Test
 * it" blocks name executable scripts of the checkout, and CI runs the very command of "Test it".
 */
class ReadmeCommandsTest {

    private static final Path ROOT = Path.of(System.getProperty("repo.root", ".."));

    @Test
    void startsWithTheRunAndTestSections() throws IOException {
        List<String> sections = readme().stream().filter(line -> line.startsWith("## ")).limit(2).toList();

        assertEquals(List.of("## Run it", "## Test it"), sections);
    }

    @Test
    void runCommandIsAnExecutableScriptOfTheCheckout() throws IOException {
        List<String> commands = commandsOf("## Run it");

        assertEquals(List.of("deploy/local/run.sh"), commands);
        assertExecutable(commands.get(0));
    }

    @Test
    void testCommandIsAnExecutableScriptThatCiRuns() throws IOException {
        List<String> commands = commandsOf("## Test it");

        assertEquals(List.of("./test.sh"), commands);
        assertExecutable(commands.get(0));
        String ci = Files.readString(ROOT.resolve(".ci/run"));
        assertTrue(ci.lines().anyMatch(line -> !line.startsWith("#") && line.contains(commands.get(0))),
                ".ci/run must run the README's test command " + commands.get(0) + ":\n" + ci);
    }

    @Test
    void testCommandRunsEveryTestOfTheBuild() throws IOException {
        String script = Files.readString(ROOT.resolve("test.sh"));

        assertTrue(script.lines().anyMatch(line -> line.strip().startsWith("./mvnw -B verify")),
                "test.sh must run ./mvnw verify:\n" + script);
    }

    /** The lines of the first {@code bash} block after {@code heading}, comments and blank lines left out. */
    private static List<String> commandsOf(String heading) throws IOException {
        List<String> lines = readme();
        int at = lines.indexOf(heading);
        assertTrue(at >= 0, "README has no section " + heading);
        int open = -1;
        for (int i = at + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
            if (lines.get(i).equals("```bash")) {
                open = i;
                break;
            }
        }
        assertTrue(open >= 0, heading + " has no ```bash block");
        List<String> commands = new ArrayList<>();
        for (int i = open + 1; !lines.get(i).equals("```"); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                commands.add(line);
            }
        }
        assertFalse(commands.isEmpty(), heading + " block is empty");
        return commands;
    }

    private static void assertExecutable(String command) {
        Path script = ROOT.resolve(command.split("\\s+")[0]).normalize();
        assertTrue(Files.isRegularFile(script) && Files.isExecutable(script), command + " is not an executable file "
                + "of the checkout (" + script + ")");
    }

    private static List<String> readme() throws IOException {
        return Files.readAllLines(ROOT.resolve("README.md"));
    }
}
