package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pixel assertions the pipeline's tests share: a colour within a tolerance per channel, ARGB as {@code int}. */
final class PixelAssertions {

    private PixelAssertions() {
    }

    static void assertColour(int expected, int actual, int tolerance) {
        assertColour(expected, actual, tolerance, "");
    }

    /** Each of red, green and blue within {@code tolerance} (0-255) of {@code expected}; {@code where} names the spot. */
    static void assertColour(int expected, int actual, int tolerance, String where) {
        boolean close = Math.abs(red(expected) - red(actual)) <= tolerance
                && Math.abs(green(expected) - green(actual)) <= tolerance
                && Math.abs(blue(expected) - blue(actual)) <= tolerance;
        assertTrue(close, (where.isEmpty() ? "" : where + ": ") + "expected " + hex(expected) + " +-" + tolerance
                + ", was " + hex(actual));
    }

    static int red(int rgb) {
        return (rgb >> 16) & 0xFF;
    }

    static int green(int rgb) {
        return (rgb >> 8) & 0xFF;
    }

    static int blue(int rgb) {
        return rgb & 0xFF;
    }

    static String hex(int argb) {
        return String.format("#%08X", argb);
    }
}
