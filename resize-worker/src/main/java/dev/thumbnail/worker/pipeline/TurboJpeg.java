package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Optional;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

import io.quarkus.logging.Log;

/**
 * libjpeg-turbo's TurboJPEG API through JNA: DCT-domain scaled decoding (1/8 ... 8/8), which is what makes Pillow and
 * libvips fast on large JPEGs. Only reached through {@link JpegDecoders}, which never loads it in a native image.
 */
final class TurboJpeg {

    private static final int TJPF_BGRX = 3;
    private static final int TJFLAG_STOPONWARNING = 8192;
    private static final int TJCS_CMYK = 3;
    private static final int TJCS_YCCK = 4;
    /** TurboJPEG's scaling factors are M/8. */
    private static final int EIGHTHS = 8;

    /**
     * The C functions used (TurboJPEG 2.x API, present in every libjpeg-turbo since 1.4). Public: with a package-private
     * interface JNA passed the output arguments wrongly (the header came back 0x0).
     */
    public interface Api extends Library {
        Pointer tjInitDecompress();

        int tjDecompressHeader3(Pointer handle, Pointer jpeg, NativeLong size, IntByReference width,
                IntByReference height, IntByReference subsampling, IntByReference colourspace);

        int tjDecompress2(Pointer handle, Pointer jpeg, NativeLong size, Pointer destination, int width, int pitch,
                int height, int pixelFormat, int flags);

        String tjGetErrorStr2(Pointer handle);

        int tjDestroy(Pointer handle);
    }

    private final Api api;
    private final String library;

    private TurboJpeg(Api api, String library) {
        this.api = api;
        this.library = library;
    }

    /** Loads the library by the given name or path, or the usual Linux names; empty when none loads. */
    static Optional<TurboJpeg> load(Optional<String> configured) {
        Iterable<String> names = configured.map(java.util.List::of)
                .orElse(java.util.List.of("turbojpeg", "libturbojpeg.so.0"));
        for (String name : names) {
            try {
                return Optional.of(new TurboJpeg(Native.load(name, Api.class), name));
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                Log.debugf("libturbojpeg not loaded as %s: %s", name, e.getMessage());
            }
        }
        return Optional.empty();
    }

    String library() {
        return library;
    }

    /**
     * Decodes at the smallest M/8 scale that keeps the image at least {@code minWidth} x {@code minHeight}. Empty
     * when libjpeg-turbo cannot produce RGB for this file (CMYK or YCCK): the caller falls back to ImageIO.
     */
    Optional<BufferedImage> decode(byte[] jpeg, int minWidth, int minHeight) throws PipelineException {
        // A fresh handle per image: one reused after a failed decode reported later headers as 0x0. Creating one
        // costs microseconds.
        Pointer handle = api.tjInitDecompress();
        if (handle == null) {
            return Optional.empty();
        }
        Memory source = new Memory(jpeg.length);
        try {
            source.write(0, jpeg, 0, jpeg.length);
            NativeLong size = new NativeLong(jpeg.length);
            IntByReference width = new IntByReference();
            IntByReference height = new IntByReference();
            IntByReference subsampling = new IntByReference();
            IntByReference colourspace = new IntByReference();
            if (api.tjDecompressHeader3(handle, source, size, width, height, subsampling, colourspace) != 0
                    || width.getValue() <= 0 || height.getValue() <= 0) {
                throw corrupt(handle);
            }
            if (colourspace.getValue() == TJCS_CMYK || colourspace.getValue() == TJCS_YCCK) {
                return Optional.empty();
            }
            int eighths = scale(width.getValue(), height.getValue(), minWidth, minHeight);
            int scaledWidth = (width.getValue() * eighths + EIGHTHS - 1) / EIGHTHS;
            int scaledHeight = (height.getValue() * eighths + EIGHTHS - 1) / EIGHTHS;
            Memory pixels = new Memory((long) scaledWidth * scaledHeight * 4);
            try {
                if (api.tjDecompress2(handle, source, size, pixels, scaledWidth, scaledWidth * 4, scaledHeight,
                        TJPF_BGRX, TJFLAG_STOPONWARNING) != 0) {
                    throw corrupt(handle);
                }
                BufferedImage image = new BufferedImage(scaledWidth, scaledHeight, BufferedImage.TYPE_INT_RGB);
                int[] target = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
                // BGRX bytes read as little-endian ints are 0xXXRRGGBB, the INT_RGB layout.
                pixels.read(0, target, 0, target.length);
                return Optional.of(image);
            } finally {
                pixels.close();
            }
        } finally {
            source.close();
            api.tjDestroy(handle);
        }
    }

    /** The smallest M in 1..8 with both sides at least the minimum (whole image when none is small enough). */
    static int scale(int width, int height, int minWidth, int minHeight) {
        for (int eighths = 1; eighths < EIGHTHS; eighths++) {
            if ((long) width * eighths >= (long) minWidth * EIGHTHS
                    && (long) height * eighths >= (long) minHeight * EIGHTHS) {
                return eighths;
            }
        }
        return EIGHTHS;
    }

    private PipelineException corrupt(Pointer handle) {
        return new PipelineException(dev.thumbnail.contracts.ErrorCodes.CORRUPT_IMAGE,
                "The JPEG image data is corrupt or truncated: " + api.tjGetErrorStr2(handle) + ".");
    }
}
