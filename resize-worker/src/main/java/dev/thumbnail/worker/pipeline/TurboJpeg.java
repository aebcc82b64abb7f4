package dev.thumbnail.worker.pipeline;

import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.Optional;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

import dev.thumbnail.contracts.ErrorCodes;
import io.quarkus.logging.Log;

/**
 * libjpeg-turbo's TurboJPEG API through JNA: DCT-domain scaled decoding (1/8, 1/4, 1/2; {@link #scale}), which is what
 * makes Pillow and libvips fast on large JPEGs, and its SIMD encoder for the thumbnail. Only reached through
 * {@link JpegCodecs}, which never loads it in a native image.
 */
final class TurboJpeg {

    private static final int TJPF_BGRX = 3;
    private static final int TJSAMP_444 = 0;
    private static final int TJFLAG_NOREALLOC = 1024;
    /** Refuse progressive JPEGs of more than 500 scans (libjpeg-turbo 2.1): decode time grows with every scan. */
    static final int TJFLAG_LIMITSCANS = 32768;
    private static final int TJERR_WARNING = 0;
    private static final int TJCS_CMYK = 3;
    private static final int TJCS_YCCK = 4;
    /** TurboJPEG's scaling factors are M/8. */
    private static final int EIGHTHS = 8;

    /**
     * The C functions used (TurboJPEG API of libjpeg-turbo 2.0 and later; {@code tjGetErrorStr2} is the newest).
     * Public: with a package-private interface JNA passed the output arguments wrongly (the header came back 0x0).
     */
    public interface Api extends Library {
        Pointer tjInitDecompress();

        int tjDecompressHeader3(Pointer handle, Pointer jpeg, NativeLong size, IntByReference width,
                IntByReference height, IntByReference subsampling, IntByReference colourspace);

        int tjDecompress2(Pointer handle, Pointer jpeg, NativeLong size, Pointer destination, int width, int pitch,
                int height, int pixelFormat, int flags);

        Pointer tjInitCompress();

        NativeLong tjBufSize(int width, int height, int subsampling);

        int tjCompress2(Pointer handle, Pointer source, int width, int pitch, int height, int pixelFormat,
                PointerByReference jpeg, NativeLongByReference size, int subsampling, int quality, int flags);

        String tjGetErrorStr2(Pointer handle);

        int tjGetErrorCode(Pointer handle);

        int tjDestroy(Pointer handle);
    }

    private final Api api;
    private final String library;
    private final NativeBuffers buffers;

    private TurboJpeg(Api api, String library) {
        this.api = api;
        this.library = library;
        // Enough idle sets for every image the worker processes at once (its default concurrency is the core count).
        this.buffers = new NativeBuffers(Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** Loads the library by the given name or path, or the usual Linux names; empty when none loads. */
    static Optional<TurboJpeg> load(Optional<String> configured) {
        Iterable<String> names = configured.map(java.util.List::of)
                .orElse(java.util.List.of("turbojpeg", "libturbojpeg.so.0"));
        for (String name : names) {
            try {
                Api api = Native.load(name, Api.class);
                // JNA binds each function at its first call: check them all now, so an older library (1.x has no
                // tjGetErrorStr2) is refused here rather than failing on the first corrupt JPEG.
                NativeLibrary library = NativeLibrary.getInstance(name);
                for (java.lang.reflect.Method function : Api.class.getDeclaredMethods()) {
                    library.getFunction(function.getName());
                }
                return Optional.of(new TurboJpeg(api, name));
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
     * Decodes {@code original} (which must lie in native memory: {@link Original#nativeAddress()}) at the smallest
     * scale of {@link #scale} that keeps the image at least twice {@code stored} (the thumbnail's size in the stored
     * orientation), into the original's second native buffer, where the area average reads the pixels without a
     * copy.
     *
     * @return the pixels; empty when libjpeg-turbo does not read this file's process, precision, subsampling or colour
     *         space (lossless, 12-bit, 4:1:0, CMYK...): a refusal, and the next decoder is asked
     * @throws PipelineException {@code CORRUPT_IMAGE} when the data is damaged ({@link JpegWarnings}); a warning
     *                           about a complete image is logged and the pixels are used
     */
    Optional<Decoding> decode(Original original, Fit stored, int flags) throws PipelineException {
        NativeBuffers.Set set = original.nativeSet();
        if (set == null) {
            return Optional.empty();
        }
        // A fresh handle per image: one reused after a failed decode reported later headers as 0x0. Creating one
        // costs microseconds.
        Pointer handle = api.tjInitDecompress();
        if (handle == null) {
            return Optional.empty();
        }
        try {
            NativeLong size = new NativeLong(original.size());
            IntByReference width = new IntByReference();
            IntByReference height = new IntByReference();
            IntByReference subsampling = new IntByReference();
            IntByReference colourspace = new IntByReference();
            if (api.tjDecompressHeader3(handle, set.sourcePointer(), size, width, height, subsampling, colourspace) != 0
                    || width.getValue() <= 0 || height.getValue() <= 0) {
                Log.debugf("libjpeg-turbo does not read this JPEG's header: %s", api.tjGetErrorStr2(handle));
                return Optional.empty();
            }
            if (colourspace.getValue() == TJCS_CMYK || colourspace.getValue() == TJCS_YCCK) {
                return Optional.empty();
            }
            int eighths = scale(width.getValue(), height.getValue(), 2 * stored.width(), 2 * stored.height());
            int scaledWidth = (width.getValue() * eighths + EIGHTHS - 1) / EIGHTHS;
            int scaledHeight = (height.getValue() * eighths + EIGHTHS - 1) / EIGHTHS;
            ByteBuffer pixels = set.pixels((long) scaledWidth * scaledHeight * 4);
            if (api.tjDecompress2(handle, set.sourcePointer(), size, set.pixelsPointer(), scaledWidth,
                    scaledWidth * 4, scaledHeight, TJPF_BGRX, flags) != 0) {
                String message = api.tjGetErrorStr2(handle);
                boolean warning = api.tjGetErrorCode(handle) == TJERR_WARNING;
                if (JpegWarnings.damaging(message)) {
                    throw new PipelineException(ErrorCodes.CORRUPT_IMAGE, new DecoderMessage("libjpeg-turbo", message));
                }
                if (!warning) {
                    // Not a warning: this build or version cannot go on with the file (a scan limit, an unusual
                    // layout); another decoder may.
                    Log.debugf("libjpeg-turbo stopped on this JPEG: %s", message);
                    return Optional.empty();
                }
                Log.infof("JPEG decoded with a warning from libjpeg-turbo: %s", message);
            }
            ICC_Profile profile = JpegColourProfile.read(original.bytes()).orElse(null);
            // BGRX bytes read as little-endian ints are 0xXXRRGGBB, the INT_RGB layout. The last row and column may
            // hold only part of a block: 853 rows at 1/4 are 213.25 rows.
            return Optional.of(new Decoding(pixels.order(ByteOrder.LITTLE_ENDIAN).asIntBuffer(), scaledWidth,
                    scaledHeight, width.getValue() * (double) eighths / EIGHTHS,
                    height.getValue() * (double) eighths / EIGHTHS, profile));
        } finally {
            api.tjDestroy(handle);
        }
    }

    /** Memory for originals: this decoder's native pool, where it reads them without a copy. */
    Original.Memory originals() {
        return Original.pool(buffers);
    }

    /**
     * Opaque pixels libjpeg-turbo decoded, in native memory (rows of {@code 0x..RRGGBB} ints), and the file's ICC
     * profile, which libjpeg-turbo does not apply. Valid until the {@link Original} they were decoded from is closed.
     */
    static final class Decoding implements Pixels {
        private final IntBuffer pixels;
        private final int width;
        private final int height;
        private final double extentWidth;
        private final double extentHeight;
        private final ICC_Profile profile;

        private Decoding(IntBuffer pixels, int width, int height, double extentWidth, double extentHeight,
                ICC_Profile profile) {
            this.pixels = pixels;
            this.width = width;
            this.height = height;
            this.extentWidth = extentWidth;
            this.extentHeight = extentHeight;
            this.profile = profile;
        }

        ICC_Profile profile() {
            return profile;
        }

        @Override
        public int width() {
            return width;
        }

        @Override
        public int height() {
            return height;
        }

        @Override
        public double extentWidth() {
            return extentWidth;
        }

        @Override
        public double extentHeight() {
            return extentHeight;
        }

        @Override
        public boolean hasAlpha() {
            return false;
        }

        @Override
        public void read(int y, int[] line) {
            // A bulk copy from native memory, then plain array loops.
            pixels.get(y * width, line, 0, width);
        }

        @Override
        public void close() {
            // The pixels lie in the original's native buffers, handed back when the original is closed.
        }
    }

    /**
     * Encodes an {@code INT_RGB} image as a baseline JPEG without chroma subsampling (see {@link Encoder}) at
     * {@code quality} (0-100, the IJG scale ImageIO and Pillow use too).
     */
    byte[] encode(BufferedImage image, int quality) {
        if (image.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("expected an INT_RGB image, got type " + image.getType());
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int[] samples = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        long capacity = api.tjBufSize(width, height, TJSAMP_444).longValue();
        if (capacity <= 0) {
            throw new IllegalStateException("libjpeg-turbo cannot size a " + width + "x" + height + " JPEG");
        }
        Pointer handle = api.tjInitCompress();
        if (handle == null) {
            throw new IllegalStateException("libjpeg-turbo could not start a JPEG encoder");
        }
        NativeBuffers.Set set = buffers.take();
        try {
            // An INT_RGB int written little-endian is the bytes B, G, R, X.
            set.pixels((long) samples.length * 4).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(samples);
            ByteBuffer output = set.source(capacity);
            PointerByReference jpeg = new PointerByReference(set.sourcePointer());
            NativeLongByReference size = new NativeLongByReference(new NativeLong(capacity));
            // NOREALLOC: libjpeg-turbo writes into the buffer given (sized by tjBufSize for the worst case).
            if (api.tjCompress2(handle, set.pixelsPointer(), width, width * 4, height, TJPF_BGRX, jpeg, size,
                    TJSAMP_444, quality, TJFLAG_NOREALLOC) != 0) {
                throw new IllegalStateException("libjpeg-turbo could not encode the thumbnail: "
                        + api.tjGetErrorStr2(handle));
            }
            byte[] bytes = new byte[Math.toIntExact(size.getValue().longValue())];
            output.get(bytes);
            return bytes;
        } finally {
            buffers.give(set);
            api.tjDestroy(handle);
        }
    }

    /**
     * The smallest of 1/8, 2/8, 4/8 and 8/8 (returned as M of M/8) with both sides at least the minimum (the whole
     * image when none is small enough). Not 3/8, 5/8, 6/8 or 7/8: libjpeg-turbo has SIMD inverse DCTs only for the
     * full 8x8 block and the reduced 4x4 and 2x2 ones (jidctred.c; 1x1 is the DC coefficient alone), the others are
     * plain C (jidctint.c), and at those scales a decode cost more than at the next of these with more pixels
     * (libjpeg-turbo 2.1.5, TurboJPEG decode alone, 2026-12-03: 699x393 4:4:4 1.14 ms at 3/8, 1.06 at 4/8, 1.87 at
     * 5/8, 1.37 at 8/8; 640x427 4:2:0 1.19 at 3/8, 0.95 at 4/8, 1.48 at 5/8, 1.10 at 8/8). The whole pipeline, the
     * larger area average included: up to 26% less CPU on images 260-350 px across (which took 5/8-7/8), 5-10% less
     * on 4:2:0 images 550-800 px across (3/8), the same within the noise on 4:4:4 ones; the average has at least as
     * many source pixels per output pixel as before.
     */
    static int scale(int width, int height, int minWidth, int minHeight) {
        for (int eighths = 1; eighths < EIGHTHS; eighths *= 2) {
            if ((long) width * eighths >= (long) minWidth * EIGHTHS
                    && (long) height * eighths >= (long) minHeight * EIGHTHS) {
                return eighths;
            }
        }
        return EIGHTHS;
    }

}
