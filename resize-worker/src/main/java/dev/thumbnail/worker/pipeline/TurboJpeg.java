package dev.thumbnail.worker.pipeline;

import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
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

    /** Pixels decoded by libjpeg-turbo and the file's ICC profile, which libjpeg-turbo does not apply. */
    record Result(BufferedImage pixels, ICC_Profile profile) {
    }

    /**
     * Decodes {@code file} at the smallest M/8 scale that keeps the image at least {@code minWidth} x
     * {@code minHeight}. Empty when libjpeg-turbo cannot produce RGB for this file (CMYK or YCCK): the caller falls
     * back to ImageIO. The file is read straight into native memory, never into the heap.
     */
    Optional<Result> decode(Path file, int minWidth, int minHeight) throws PipelineException, IOException {
        // A fresh handle per image: one reused after a failed decode reported later headers as 0x0. Creating one
        // costs microseconds.
        Pointer handle = api.tjInitDecompress();
        if (handle == null) {
            return Optional.empty();
        }
        Memory source = null;
        try (FileChannel channel = FileChannel.open(file)) {
            long length = channel.size();
            if (length <= 0 || length > Integer.MAX_VALUE) {
                throw corrupt(handle);
            }
            source = new Memory(length);
            ByteBuffer view = source.getByteBuffer(0, length);
            while (view.hasRemaining() && channel.read(view) >= 0) {
                // read until the buffer is full or the file ends
            }
            NativeLong size = new NativeLong(view.position());
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
                view.flip();
                return Optional.of(new Result(image, JpegColourProfile.read(view).orElse(null)));
            } finally {
                pixels.close();
            }
        } finally {
            if (source != null) {
                source.close();
            }
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
