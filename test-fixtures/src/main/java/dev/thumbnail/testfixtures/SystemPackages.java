package dev.thumbnail.testfixtures;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a system package it needs is missing. {@code ./test.sh} installs them all, so this only
 * matters for a bare {@code ./mvnw verify}: the test is skipped with the package's name (test.sh lists such skips at
 * the end of the build), and with {@code CI=true} it fails, so that CI never passes on tests that did not run.
 */
public final class SystemPackages {

    private SystemPackages() {
    }

    /** Whether a missing package fails the test instead of skipping it. */
    public static boolean strict() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * Skips (or, in CI, fails) the calling test unless {@code present}.
     *
     * @param debianPackage the Debian/Ubuntu package that provides what is missing, e.g. {@code webp}
     * @param what          what the test needs from it, e.g. {@code cwebp}
     */
    public static void require(String debianPackage, String what, boolean present) {
        if (present) {
            return;
        }
        String message = "missing package " + debianPackage + " (" + what + "): apt-get install -y " + debianPackage
                + ", or run ./test.sh, which installs it";
        if (strict()) {
            Assertions.fail(message);
        }
        Assumptions.abort(message);
    }

    /** {@link #require} for a program at a fixed path, e.g. {@code /usr/bin/cwebp}. */
    public static Path requireProgram(String debianPackage, String path) {
        Path program = Path.of(path);
        require(debianPackage, path, Files.isExecutable(program));
        return program;
    }
}
