package dev.thumbnail.api.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The client's filename survives only as display text: no path parts, no control characters, bounded. */
class FilenamesTest {

    static Stream<Arguments> names() {
        return Stream.of(
                Arguments.of("cat.png", "cat.png"),
                Arguments.of("../../etc/passwd", "passwd"),
                Arguments.of("/etc/passwd", "passwd"),
                Arguments.of("C:\\Windows\\System32\\evil.jpg", "evil.jpg"),
                Arguments.of("..\\..\\boot.ini", "boot.ini"),
                Arguments.of("photo\u0000.png", "photo.png"),
                Arguments.of("line\r\nbreak\t.png", "linebreak.png"),
                Arguments.of("right\u202Egnp.exe", "rightgnp.exe"),
                Arguments.of("two\u2028lines\u2029.png", "twolines.png"),
                Arguments.of("lone\uD800surrogate.png", "lonesurrogate.png"),
                Arguments.of("  spaced.png  ", "spaced.png"),
                Arguments.of("..", ""),
                Arguments.of(".", ""),
                Arguments.of("../", ""),
                Arguments.of("", ""),
                Arguments.of("фото кота.jpg", "фото кота.jpg"),
                Arguments.of("写真.png", "写真.png"),
                Arguments.of("🐱.gif", "🐱.gif"),
                Arguments.of("e\u0301te\u0301.png", "e\u0301te\u0301.png"));
    }

    @ParameterizedTest
    @MethodSource("names")
    void keepsOnlyTheDisplayableLastPathPart(String raw, String expected) {
        assertEquals(expected, Filenames.sanitise(raw));
    }

    @Test
    void mapsAMissingNameToEmpty() {
        assertEquals("", Filenames.sanitise(null));
    }

    @Test
    void cutsALongNameAtWholeCodePoints() {
        String name = Filenames.sanitise("a".repeat(300) + ".png");
        assertEquals(Filenames.MAX_CODE_POINTS, name.codePointCount(0, name.length()));

        String emoji = Filenames.sanitise("🐱".repeat(300));
        assertEquals(Filenames.MAX_CODE_POINTS, emoji.codePointCount(0, emoji.length()));
        assertFalse(Character.isHighSurrogate(emoji.charAt(emoji.length() - 1)), "no half surrogate pair at the end");
    }

    @Test
    void neverLeavesAPathSeparatorOrControlCharacter() {
        for (String raw : new String[] { "a/b\\c", "x/../../y", "\u0000/\u0001", "dir/\u0085name" }) {
            String clean = Filenames.sanitise(raw);
            assertFalse(clean.contains("/") || clean.contains("\\"), clean);
            assertTrue(clean.codePoints().noneMatch(Character::isISOControl), clean);
        }
    }
}
