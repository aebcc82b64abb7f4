package dev.thumbnail.api.task;

/**
 * Turns a client's filename into display-only metadata: no path parts, no control, format or line-breaking
 * characters, bounded length. It is never used to build a path; blob keys come from the task id.
 */
public final class Filenames {

    public static final int MAX_CODE_POINTS = 255;

    private Filenames() {
    }

    public static String sanitise(String raw) {
        if (raw == null) {
            return "";
        }
        String name = raw;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        if (slash >= 0) {
            name = name.substring(slash + 1);
        }
        StringBuilder clean = new StringBuilder(Math.min(name.length(), MAX_CODE_POINTS));
        name.codePoints()
                .filter(Filenames::displayable)
                .limit(MAX_CODE_POINTS)
                .forEach(clean::appendCodePoint);
        String result = clean.toString().strip();
        return result.equals(".") || result.equals("..") ? "" : result;
    }

    /**
     * Drops what could hide or forge text where the name is shown (bidi overrides, NUL, line and paragraph separators
     * that split a log line) and what is not a character at all (lone surrogates, unassigned code points).
     */
    private static boolean displayable(int codePoint) {
        int type = Character.getType(codePoint);
        return !Character.isISOControl(codePoint) && type != Character.FORMAT && type != Character.UNASSIGNED
                && type != Character.SURROGATE && type != Character.LINE_SEPARATOR
                && type != Character.PARAGRAPH_SEPARATOR;
    }
}
