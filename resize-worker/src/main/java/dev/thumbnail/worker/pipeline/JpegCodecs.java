package dev.thumbnail.worker.pipeline;

import java.util.Optional;

import org.graalvm.nativeimage.ImageInfo;

import io.quarkus.logging.Log;

/**
 * Chooses the JPEG codec once, at start-up, and says which in the log: libjpeg-turbo (fast: shrink-on-load decoding,
 * SIMD encoding) when the library loads, else ImageIO, pure Java. A native image always takes the pure-Java path: the
 * {@link ImageInfo#inImageCode()} branch is folded at build time, so JNA is never compiled into it.
 */
public final class JpegCodecs {

    private JpegCodecs() {
    }

    static Optional<TurboJpeg> turboJpeg(boolean enabled, Optional<String> library) {
        if (ImageInfo.inImageCode()) {
            Log.info("JPEG decoder: ImageIO (pure Java; libjpeg-turbo is not used in the native image)");
            return Optional.empty();
        }
        if (!enabled) {
            Log.info("JPEG decoder: ImageIO (pure Java; libjpeg-turbo disabled by thumbnail.image.turbojpeg.enabled)");
            return Optional.empty();
        }
        Optional<TurboJpeg> turbo = TurboJpeg.load(library);
        if (turbo.isPresent()) {
            Log.infof("JPEG decoder: libjpeg-turbo (%s), scaled decoding on load; JPEG thumbnails encoded by it too",
                    turbo.get().library());
        } else {
            Log.warn("JPEG decoder: ImageIO (pure Java, several times slower on large JPEGs): libturbojpeg not found; "
                    + "install it (Debian/Ubuntu: apt-get install libturbojpeg0) or set thumbnail.image.turbojpeg.library");
        }
        return turbo;
    }
}
