package dev.thumbnail.worker.pipeline;

import java.util.Locale;

/**
 * What a JPEG decoder's warning means for the image, the same on every decoder path (libjpeg-turbo, the JDK's and
 * TwelveMonkeys' readers all speak libjpeg's words, {@code jerror.h}). A warning about a complete image is logged, not
 * fatal: stray bytes before a marker ("extraneous bytes"), an odd but readable scan layout ("Invalid SOS parameters",
 * "Inconsistent progression"), JFIF trivia. A warning that pixels are missing or wrong is damage: the file ends early
 * ("Premature end"), or the entropy-coded data is broken ("bad Huffman code", "found marker ... instead of RST"):
 * the decoders paint such parts grey, and a thumbnail with a grey band looks like the service's fault, not the
 * upload's, so it fails as {@code CORRUPT_IMAGE} (decided for truncation in the README).
 */
final class JpegWarnings {

    private JpegWarnings() {
    }

    /**
     * Whether a decoder's warning says that some of the image's pixels are missing or garbled. A warning about
     * metadata is not (TwelveMonkeys' "Bad 'ICC_PROFILE' chunk(s): Truncated ICC Profile data. Ignoring ICC
     * profile.": the profile is dropped, every pixel is there; libjpeg-turbo and djpeg decode such files too).
     */
    static boolean damaging(String warning) {
        String text = warning.toLowerCase(Locale.ROOT);
        if (text.contains("icc")) {
            return false;
        }
        return text.contains("premature end") || text.contains("truncat") || text.contains("bad huffman")
                || text.contains("bad arithmetic") || text.contains("instead of rst")
                || text.contains("huffman table") && text.contains("not defined");
    }
}
