package dev.thumbnail.api.task;

/**
 * Turns a client's filename into display-only metadata: no path parts, no control characters, bounded length. It is
 * never used to build a path; blob keys come from the task id.
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
                .filter(cp -> !Character.isISOControl(cp) && Character.getType(cp) != Character.FORMAT
                        && Character.getType(cp) != Character.UNASSIGNED && Character.getType(cp) != Character.SURROGATE)
                .limit(MAX_CODE_POINTS)
                .forEach(clean::appendCodePoint);
        String result = clean.toString().strip();
        return result.equals(".") || result.equals("..") ? "" : result;
    }
}
