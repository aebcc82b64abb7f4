package dev.thumbnail.worker.pipeline;

import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import dev.thumbnail.contracts.ErrorCodes;

/**
 * A PNG decoder for every layout the format has (grey, RGB, palette, grey + alpha, RGBA; 1 to 16 bits; {@code tRNS}
 * transparency; Adam7 interlacing), written for this pipeline: rows come out as packed {@code 0xAARRGGBB} ints, one
 * at a time, in order, so a non-interlaced image of any size is averaged down while it is inflated and never held
 * whole (the JDK's reader builds the whole raster first, and takes a per-pixel path for interlaced, palette, grey +
 * alpha and 16-bit images: most of the worker's time on such files, issue 11). Interlaced images are decoded whole
 * into one int per pixel, up to {@link #MAX_INTERLACED_PIXELS}.
 * <p>
 * Samples are reduced to 8 bits by rounding ({@code v * 255 / 65535}), low bit depths scaled up ({@code 1 -> 255},
 * {@code 2 -> 85}, {@code 4 -> 17} per step), grey copied to R, G and B as stored (the PNG specification, section 13.12;
 * no gamma is applied, as browsers do for PNGs without a colour profile). The {@code iCCP} profile is returned, not
 * applied: it is applied to the small image (inflated to at most {@link #MAX_PROFILE_BYTES}). Chunk CRCs are not
 * checked; the zlib stream's own checksum still catches damaged image data.
 */
final class PngDecoder {

    /** Interlaced images are decoded whole; larger ones are left to ImageIO, which subsamples while decoding. */
    static final long MAX_INTERLACED_PIXELS = 8_000_000;
    /** A larger colour profile is a decompression bomb, and is ignored (real ones are a few KB, rarely 1 MB). */
    static final int MAX_PROFILE_BYTES = 4 * 1024 * 1024;

    private static final long SIGNATURE = 0x89504E470D0A1A0AL;
    private static final int IHDR = 0x49484452;
    private static final int PLTE = 0x504C5445;
    private static final int TRNS = 0x74524E53;
    private static final int ICCP = 0x69434350;
    private static final int IDAT = 0x49444154;
    private static final int IEND = 0x49454E44;

    /** Adam7: first column, first row, column step and row step of each of the seven passes. */
    private static final int[][] ADAM7 = { { 0, 0, 8, 8 }, { 4, 0, 8, 8 }, { 0, 4, 4, 8 }, { 2, 0, 4, 4 },
            { 0, 2, 2, 4 }, { 1, 0, 2, 2 }, { 0, 1, 1, 2 } };

    private PngDecoder() {
    }

    /**
     * Reads the chunks of {@code png} (the whole file, from position 0 to its limit) up to its image data.
     *
     * @throws PipelineException {@code CORRUPT_IMAGE} when the structure is broken, {@code UNSUPPORTED_FORMAT} for a
     *                           layout the specification does not define
     */
    static Image open(ByteBuffer png) throws PipelineException {
        if (png.limit() < 8 + 25 || png.getLong(0) != SIGNATURE) {
            throw corrupt("The PNG image has no valid signature and header.");
        }
        int position = 8;
        Header header = null;
        int[] palette = null;
        byte[] transparency = null;
        ICC_Profile profile = null;
        List<int[]> data = new ArrayList<>();
        while (position + 8 <= png.limit()) {
            long length = png.getInt(position) & 0xFFFFFFFFL;
            int type = png.getInt(position + 4);
            int start = position + 8;
            if (length > png.limit() - start) {
                if (type == IDAT && header != null) {
                    // The last image data chunk is cut short: the rows it lacks are reported when they are read.
                    data.add(new int[] { start, png.limit() - start });
                }
                break;
            }
            int size = (int) length;
            if (header == null && type != IHDR) {
                throw corrupt("The PNG image does not start with its header chunk.");
            }
            switch (type) {
                case IHDR -> {
                    // Exactly one, first (PNG specification, 5.6): the size the API and the limits checked is the
                    // first one's; a second one saying 100,000,000 x 1 would be decoded at that size.
                    if (header != null) {
                        throw corrupt("The PNG image has more than one header chunk.");
                    }
                    header = Header.read(png, start, size);
                }
                case PLTE -> palette = palette(png, start, size);
                case TRNS -> transparency = bytes(png, start, size);
                case ICCP -> profile = profile(png, start, size);
                case IDAT -> data.add(new int[] { start, size });
                default -> {
                    // ancillary chunks (text, time, gamma...) play no part in a thumbnail
                }
            }
            if (type == IEND) {
                break;
            }
            position = start + size + 4;
        }
        if (header == null) {
            throw corrupt("The PNG image has no header chunk.");
        }
        if (data.isEmpty()) {
            throw corrupt("The PNG image has no image data.");
        }
        if (header.colourType == 3 && palette == null) {
            throw corrupt("The PNG palette image has no palette.");
        }
        return new Image(png, header, Layout.of(header, palette, transparency), data, profile);
    }

    /** Whether {@link #open}'s image can be decoded here, or is left to ImageIO (large interlaced images). */
    static boolean decodable(Image image) {
        return !image.header.interlaced || (long) image.header.width * image.header.height <= MAX_INTERLACED_PIXELS;
    }

    /**
     * The pixels of {@code image} for the area average: read while they are inflated (a row may be read twice in a
     * row, as the average does at the edge of two output rows), or, interlaced, decoded whole first. The deadline is
     * checked every {@link #ROWS_PER_CHECK} rows.
     */
    static Pixels pixels(Image image, Deadline deadline) throws PipelineException {
        if (image.interlaced()) {
            try {
                return new Whole(image.width(), image.height(), image.hasAlpha(), image.all(deadline));
            } finally {
                // Its inflater's native memory, also when the data is cut short or the deadline passes.
                image.close();
            }
        }
        return new Streamed(image, deadline);
    }

    private static final int ROWS_PER_CHECK = 64;
    /** Bytes inflated per call into zlib: a few rows of a large image, many of a small one or of a pass. */
    private static final int INFLATE_BYTES = 32 * 1024;

    /** IHDR: the size and layout. */
    record Header(int width, int height, int bitDepth, int colourType, boolean interlaced) {

        static Header read(ByteBuffer png, int start, int size) throws PipelineException {
            if (size != 13) {
                throw corrupt("The PNG header chunk has the wrong length.");
            }
            int width = png.getInt(start);
            int height = png.getInt(start + 4);
            int depth = png.get(start + 8) & 0xFF;
            int colour = png.get(start + 9) & 0xFF;
            int interlace = png.get(start + 12) & 0xFF;
            if (width <= 0 || height <= 0) {
                throw corrupt("The PNG header declares an empty image.");
            }
            boolean valid = switch (colour) {
                case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
                case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
                case 2, 4, 6 -> depth == 8 || depth == 16;
                default -> false;
            };
            if (!valid || (png.get(start + 10) != 0) || (png.get(start + 11) != 0) || interlace > 1) {
                throw new PipelineException(ErrorCodes.UNSUPPORTED_FORMAT,
                        "The PNG image uses a colour type, bit depth, compression or interlace method that the PNG "
                                + "specification does not define.");
            }
            return new Header(width, height, depth, colour, interlace == 1);
        }

        int channels() {
            return switch (colourType) {
                case 2 -> 3;
                case 4 -> 2;
                case 6 -> 4;
                default -> 1;
            };
        }

        int bitsPerPixel() {
            return channels() * bitDepth;
        }

        /** Bytes per complete pixel (at least one): the distance the filters look back. */
        int filterStride() {
            return Math.max(1, bitsPerPixel() / 8);
        }

        int rowBytes(int pixels) {
            return (int) (((long) pixels * bitsPerPixel() + 7) / 8);
        }
    }

    /**
     * A decoded PNG: its rows in order ({@link #next}), or, for an interlaced one, every row at once. Not thread-safe;
     * one pass. Holds a zlib inflater until {@link #close}.
     */
    static final class Image implements AutoCloseable {

        private final ByteBuffer png;
        private final Header header;
        private final Layout layout;
        private final List<int[]> data;
        private final ICC_Profile profile;
        private final Inflater inflater = new Inflater();
        /** Inflated bytes not read yet: {@code inflated[inflatedAt, inflatedEnd)}. */
        private byte[] inflated;
        private int inflatedAt;
        private int inflatedEnd;
        private int chunk;
        private byte[] previous;
        private byte[] current;
        private int rowsRead;

        private Image(ByteBuffer png, Header header, Layout layout, List<int[]> data, ICC_Profile profile) {
            this.png = png;
            this.header = header;
            this.layout = layout;
            this.data = data;
            this.profile = profile;
        }

        int width() {
            return header.width;
        }

        int height() {
            return header.height;
        }

        boolean interlaced() {
            return header.interlaced;
        }

        /** Whether any pixel can be transparent: an alpha channel, or a {@code tRNS} chunk. */
        boolean hasAlpha() {
            return layout.alpha;
        }

        /** The embedded ICC profile, not applied; null when there is none (or it was unreadable). */
        ICC_Profile profile() {
            return profile;
        }

        /** Decodes the next row into {@code line} ({@code width} packed ARGB ints); non-interlaced images only. */
        void next(int[] line) throws PipelineException {
            if (header.interlaced) {
                throw new IllegalStateException("interlaced images are decoded whole");
            }
            if (rowsRead == 0) {
                startPass(header.width);
            }
            if (rowsRead >= header.height) {
                throw new IllegalStateException("all " + header.height + " rows were read");
            }
            inflateRow(header.rowBytes(header.width));
            layout.unpack(current, header.filterStride(), header.width, line, 0, 1);
            rowsRead++;
        }

        /** Decodes an interlaced image whole: {@code width x height} packed ARGB ints, row after row. */
        int[] all(Deadline deadline) throws PipelineException {
            int width = header.width;
            int[] image = new int[Math.multiplyExact(width, header.height)];
            for (int[] pass : ADAM7) {
                int columns = (width - pass[0] + pass[2] - 1) / pass[2];
                int rows = (header.height - pass[1] + pass[3] - 1) / pass[3];
                if (columns <= 0 || rows <= 0) {
                    continue;
                }
                startPass(columns);
                for (int r = 0; r < rows; r++) {
                    inflateRow(header.rowBytes(columns));
                    int y = pass[1] + r * pass[3];
                    layout.unpack(current, header.filterStride(), columns, image, y * width + pass[0], pass[2]);
                }
                deadline.check();
            }
            return image;
        }

        @Override
        public void close() {
            inflater.end();
        }

        private void startPass(int columns) {
            int stride = header.filterStride();
            // stride leading zeros: the filters' "pixel to the left" of the first pixel is 0 without a branch.
            int length = stride + header.rowBytes(columns);
            if (previous == null || previous.length < length) {
                previous = new byte[length];
                current = new byte[length];
            } else {
                Arrays.fill(previous, (byte) 0);
                Arrays.fill(current, (byte) 0);
            }
        }

        /** Inflates one filtered row (its filter byte, then {@code bytes} bytes) and undoes the filter. */
        private void inflateRow(int bytes) throws PipelineException {
            byte[] swap = previous;
            previous = current;
            current = swap;
            int stride = header.filterStride();
            // The filter byte lands in the last of the leading zeros, which is put back before the filter reads it.
            int filter = inflate(current, stride - 1, 1) & 0xFF;
            current[stride - 1] = 0;
            inflate(current, stride, bytes);
            Filters.undo(filter, current, previous, stride, stride + bytes);
        }

        /**
         * Fills {@code bytes} bytes of {@code target} from {@code offset} out of {@link #inflated}, which is refilled
         * {@link #INFLATE_BYTES} at a time; returns the first of them. Inflating a row at a time took two calls into
         * zlib per row (its filter byte, then its bytes), each with its JNI transition and zlib's own set-up: on the
         * interlaced 613x624 sample (1,170 rows in its seven passes) a fifth of the decode (issue 11).
         */
        private int inflate(byte[] target, int offset, int bytes) throws PipelineException {
            int filled = 0;
            while (filled < bytes) {
                if (inflatedAt == inflatedEnd) {
                    refill();
                }
                int n = Math.min(bytes - filled, inflatedEnd - inflatedAt);
                System.arraycopy(inflated, inflatedAt, target, offset + filled, n);
                inflatedAt += n;
                filled += n;
            }
            return target[offset];
        }

        /** Inflates what the next bytes of image data give, up to {@link #INFLATE_BYTES}; at least one byte. */
        private void refill() throws PipelineException {
            if (inflated == null) {
                inflated = new byte[INFLATE_BYTES];
            }
            try {
                int n;
                while ((n = inflater.inflate(inflated)) == 0) {
                    if (inflater.finished() || inflater.needsDictionary()) {
                        throw corrupt("The PNG image data ends before its last row: the file is truncated or corrupt.");
                    }
                    if (inflater.needsInput()) {
                        if (chunk >= data.size()) {
                            throw corrupt("The PNG image data ends before its last row: the file is truncated.");
                        }
                        int[] next = data.get(chunk++);
                        inflater.setInput(png.slice(next[0], next[1]));
                    }
                }
                inflatedAt = 0;
                inflatedEnd = n;
            } catch (DataFormatException e) {
                throw new PipelineException(ErrorCodes.CORRUPT_IMAGE, "The PNG image data is corrupt.", e);
            }
        }
    }

    /** A non-interlaced image, inflated a row at a time as it is read. */
    private static final class Streamed implements Pixels {
        private final Image image;
        private final Deadline deadline;
        private final int[] row;
        private int last = -1;

        Streamed(Image image, Deadline deadline) {
            this.image = image;
            this.deadline = deadline;
            this.row = new int[image.width()];
        }

        @Override
        public int width() {
            return image.width();
        }

        @Override
        public int height() {
            return image.height();
        }

        @Override
        public double extentWidth() {
            return image.width();
        }

        @Override
        public double extentHeight() {
            return image.height();
        }

        @Override
        public boolean hasAlpha() {
            return image.hasAlpha();
        }

        @Override
        public void read(int y, int[] line) throws PipelineException {
            while (last < y) {
                image.next(row);
                last++;
                if (last % ROWS_PER_CHECK == 0) {
                    deadline.check();
                }
            }
            if (y != last) {
                throw new IllegalStateException("row " + y + " asked for after row " + last);
            }
            System.arraycopy(row, 0, line, 0, row.length);
        }

        @Override
        public void close() {
            image.close();
        }
    }

    /** An interlaced image, decoded whole. */
    private record Whole(int width, int height, boolean hasAlpha, int[] pixels) implements Pixels {

        @Override
        public double extentWidth() {
            return width;
        }

        @Override
        public double extentHeight() {
            return height;
        }

        @Override
        public void read(int y, int[] line) {
            System.arraycopy(pixels, y * width, line, 0, width);
        }

        @Override
        public void close() {
            // nothing held but the array
        }
    }

    /** The five PNG filters, undone in place (PNG specification, section 9). */
    static final class Filters {

        private Filters() {
        }

        /**
         * @param row      this row, filtered, from {@code stride} (the bytes before are zeros) to {@code end}
         * @param previous the row above, unfiltered, laid out the same way (all zeros for the first row)
         */
        static void undo(int filter, byte[] row, byte[] previous, int stride, int end) throws PipelineException {
            switch (filter) {
                case 0 -> {
                }
                case 1 -> sub(row, stride, end);
                case 2 -> {
                    for (int i = stride; i < end; i++) {
                        row[i] += previous[i];
                    }
                }
                case 3 -> average(row, previous, stride, end);
                case 4 -> {
                    // Paeth, without branches: photos are mostly Paeth rows, where the branchy form mispredicted
                    // about every other byte (measured: half of a decode's time went to this loop). Unlike Sub and
                    // Average below, it reads the left byte back from the row: carried in a register, one channel
                    // at a time or three at once, it measured 4.4-5.3 ns per byte against 3.5 (its longer chain of
                    // dependent steps then sets the pace); so did stb_image's min/max form (6.3-7.2 ns).
                    for (int i = stride; i < end; i++) {
                        int a = row[i - stride] & 0xFF;
                        int b = previous[i] & 0xFF;
                        int c = previous[i - stride] & 0xFF;
                        int pa = Math.abs(b - c);
                        int pb = Math.abs(a - c);
                        int pc = Math.abs(a + b - 2 * c);
                        int cBeforeB = (pc - pb) >> 31;
                        int nearer = b ^ ((b ^ c) & cBeforeB);
                        int nearest = pb + ((pc - pb) & cBeforeB);
                        row[i] += (byte) (a ^ ((a ^ nearer) & ((nearest - pa) >> 31)));
                    }
                }
                default -> throw corrupt("The PNG image data has an unknown row filter " + filter + ".");
            }
        }

        /*
         * Sub and Average add the byte one pixel to the left, just written. Read back from the row, each byte waits
         * for the store of the one `stride` before it, which measured 5.3 (Sub) and 4.7 (Average) ns per byte on
         * the benchmark machine, about a third of the decode of the interlaced sample PNG (a quarter of its rows are
         * Sub); one channel at a time, the left byte carried in a register: 0.6-0.8 and 1.3-2.3 ns.
         */
        private static void sub(byte[] row, int stride, int end) {
            for (int channel = stride; channel < 2 * stride; channel++) {
                int left = 0;
                for (int i = channel; i < end; i += stride) {
                    left += row[i];
                    row[i] = (byte) left;
                }
            }
        }

        private static void average(byte[] row, byte[] previous, int stride, int end) {
            for (int channel = stride; channel < 2 * stride; channel++) {
                int left = 0;
                for (int i = channel; i < end; i += stride) {
                    left = row[i] + (((left & 0xFF) + (previous[i] & 0xFF)) >>> 1);
                    row[i] = (byte) left;
                }
            }
        }
    }

    /** Turns unfiltered row bytes into packed ARGB ints, for one colour type and bit depth. */
    private abstract static class Layout {

        final boolean alpha;

        Layout(boolean alpha) {
            this.alpha = alpha;
        }

        /**
         * @param row    the unfiltered row, its first sample at {@code from}
         * @param pixels how many pixels to unpack
         * @param out    where they go, from {@code at}, every {@code step}
         */
        abstract void unpack(byte[] row, int from, int pixels, int[] out, int at, int step);

        static Layout of(Header header, int[] palette, byte[] transparency) throws PipelineException {
            int depth = header.bitDepth;
            return switch (header.colourType) {
                case 3 -> new Indexed(depth, lookup(palette, transparency));
                case 0 -> depth == 16 ? new Grey16(key16(transparency, 0)) : new Indexed(depth, greyLookup(depth,
                        transparency));
                case 2 -> depth == 16 ? new Rgb16(transparency) : new Rgb8(transparency);
                case 4 -> depth == 16 ? new GreyAlpha16() : new GreyAlpha8();
                default -> depth == 16 ? new Rgba16() : new Rgba8();
            };
        }

        /** Palette colours with their tRNS alphas; entries past the palette are opaque black. */
        private static int[] lookup(int[] palette, byte[] transparency) {
            int[] lut = new int[256];
            Arrays.fill(lut, 0xFF000000);
            for (int i = 0; i < palette.length; i++) {
                int alpha = transparency != null && i < transparency.length ? transparency[i] & 0xFF : 0xFF;
                lut[i] = alpha << 24 | palette[i];
            }
            return lut;
        }

        /** Grey levels of a 1-8 bit image as a lookup table, with the tRNS grey level transparent. */
        private static int[] greyLookup(int depth, byte[] transparency) {
            int levels = 1 << depth;
            int[] lut = new int[256];
            int key = key16(transparency, 0);
            for (int v = 0; v < levels; v++) {
                int grey = v * 255 / (levels - 1);
                lut[v] = (v == key ? 0 : 0xFF000000) | grey << 16 | grey << 8 | grey;
            }
            return lut;
        }

        /** The 16-bit sample {@code index} of a tRNS chunk, or -1 when there is none. */
        static int key16(byte[] transparency, int index) {
            if (transparency == null || transparency.length < 2 * index + 2) {
                return -1;
            }
            return (transparency[2 * index] & 0xFF) << 8 | transparency[2 * index + 1] & 0xFF;
        }

        static int to8(int sample16) {
            return (sample16 * 255 + 32767) / 65535;
        }

        static int u16(byte[] row, int i) {
            return (row[i] & 0xFF) << 8 | row[i + 1] & 0xFF;
        }
    }

    /** Palette indices, or grey levels of up to 8 bits through a table; 1, 2 or 4 bit samples are packed. */
    private static final class Indexed extends Layout {
        private final int depth;
        private final int[] lut;

        Indexed(int depth, int[] lut) {
            super(hasTransparency(lut));
            this.depth = depth;
            this.lut = lut;
        }

        private static boolean hasTransparency(int[] lut) {
            for (int colour : lut) {
                if (colour >>> 24 != 0xFF) {
                    return true;
                }
            }
            return false;
        }

        @Override
        void unpack(byte[] row, int from, int pixels, int[] out, int at, int step) {
            if (depth == 8) {
                for (int x = 0, o = at; x < pixels; x++, o += step) {
                    out[o] = lut[row[from + x] & 0xFF];
                }
                return;
            }
            int perByte = 8 / depth;
            int mask = (1 << depth) - 1;
            for (int x = 0, o = at; x < pixels; x++, o += step) {
                int shift = 8 - depth * (x % perByte + 1);
                out[o] = lut[(row[from + x / perByte] >> shift) & mask];
            }
        }
    }

    private static final class Rgb8 extends Layout {
        private final int key;

        Rgb8(byte[] transparency) {
            super(transparency != null && transparency.length >= 6);
            int red = key16(transparency, 0);
            int green = key16(transparency, 1);
            int blue = key16(transparency, 2);
            // At 8 bits the key's samples must fit in a byte; one that does not matches no pixel.
            this.key = alpha && (red | green | blue) <= 0xFF ? red << 16 | green << 8 | blue : -1;
        }

        @Override
        void unpack(byte[] row, int from, int pixels, int[] out, int at, int step) {
            for (int x = 0, i = from, o = at; x < pixels; x++, i += 3, o += step) {
                int rgb = (row[i] & 0xFF) << 16 | (row[i + 1] & 0xFF) << 8 | row[i + 2] & 0xFF;
                out[o] = rgb == key ? rgb : 0xFF000000 | rgb;
            }
        }
    }

    private static final class Rgba8 extends Layout {
        Rgba8() {
            super(true);
        }

        @Override
        void unpack(byte[] row, int from, int pixels, int[] out, int at, int step) {
            for (int x = 0, i = from, o = at; x < pixels; x++, i += 4, o += step) {
                out[o] = (row[i + 3] & 0xFF) << 24 | (row[i] & 0xFF) << 16 | (row[i + 1] & 0xFF) << 8
                        | row[i + 2] & 0xFF;
            }
        }
    }

    private static final class GreyAlpha8 extends Layout {
        GreyAlpha8() {
            super(true);
        }

        @Override
        void unpack(byte[] row, int from, int pixels, int[] out, int at, int step) {
            for (int x = 0, i = from, o = at; x < pixels; x++, i += 2, o += step) {
                int grey = row[i] & 0xFF;
                out[o] = (row[i + 1] & 0xFF) << 24 | grey << 16 | grey << 8 | grey;
            }
        }
    }

    private static final class Grey16 extends Layout {
        private final int key;

        Grey16(int key) {
            super(key >= 0);
            this.key = key;
        }

        @Override
        void unpack(byte[] row, int from, int pixels, int[] out, int at, int step) {
            for (int x = 0, i = from, o = at; x < pixels; x++, i += 2, o += step) {
                int sample = u16(row, i);
                int grey = to8(sample);
                out[o] = (sample == key ? 0 : 0xFF000000) | grey << 16 | grey << 8 | grey;
            }
        }
    }

    private static final class Rgb16 extends Layout {
        private final int keyRed;
        private final int keyGreen;
        private final int keyBlue;

        Rgb16(byte[] transparency) {
            super(transparency != null && transparency.length >= 6);
            this.keyRed = key16(transparency, 0);
            this.keyGreen = key16(transparency, 1);
            this.keyBlue = key16(transparency, 2);
        }

        @Override
        void unpack(byte[] row, int from, int pixels, int[] out, int at, int step) {
            for (int x = 0, i = from, o = at; x < pixels; x++, i += 6, o += step) {
                int red = u16(row, i);
                int green = u16(row, i + 2);
                int blue = u16(row, i + 4);
                boolean transparent = alpha && red == keyRed && green == keyGreen && blue == keyBlue;
                out[o] = (transparent ? 0 : 0xFF000000) | to8(red) << 16 | to8(green) << 8 | to8(blue);
            }
        }
    }

    private static final class GreyAlpha16 extends Layout {
        GreyAlpha16() {
            super(true);
        }

        @Override
        void unpack(byte[] row, int from, int pixels, int[] out, int at, int step) {
            for (int x = 0, i = from, o = at; x < pixels; x++, i += 4, o += step) {
                int grey = to8(u16(row, i));
                out[o] = to8(u16(row, i + 2)) << 24 | grey << 16 | grey << 8 | grey;
            }
        }
    }

    private static final class Rgba16 extends Layout {
        Rgba16() {
            super(true);
        }

        @Override
        void unpack(byte[] row, int from, int pixels, int[] out, int at, int step) {
            for (int x = 0, i = from, o = at; x < pixels; x++, i += 8, o += step) {
                out[o] = to8(u16(row, i + 6)) << 24 | to8(u16(row, i)) << 16 | to8(u16(row, i + 2)) << 8
                        | to8(u16(row, i + 4));
            }
        }
    }

    // ---- chunks ------------------------------------------------------------------------------------------------------

    private static int[] palette(ByteBuffer png, int start, int size) throws PipelineException {
        if (size % 3 != 0 || size == 0 || size > 3 * 256) {
            throw corrupt("The PNG palette has an invalid length.");
        }
        int[] colours = new int[size / 3];
        for (int i = 0; i < colours.length; i++) {
            int at = start + 3 * i;
            colours[i] = (png.get(at) & 0xFF) << 16 | (png.get(at + 1) & 0xFF) << 8 | png.get(at + 2) & 0xFF;
        }
        return colours;
    }

    private static byte[] bytes(ByteBuffer png, int start, int size) {
        byte[] bytes = new byte[size];
        png.get(start, bytes);
        return bytes;
    }

    /** The iCCP profile, inflated to at most {@link #MAX_PROFILE_BYTES}; null when absent, too large or unreadable. */
    private static ICC_Profile profile(ByteBuffer png, int start, int size) {
        int nul = 0;
        while (nul < Math.min(size, 80) && png.get(start + nul) != 0) {
            nul++;
        }
        if (nul + 2 > size || png.get(start + nul + 1) != 0) {
            return null;
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(png.slice(start + nul + 2, size - nul - 2));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_PROFILE_BYTES) {
                    return null;
                }
            }
            return ICC_Profile.getInstance(out.toByteArray());
        } catch (DataFormatException | IllegalArgumentException e) {
            // An unreadable profile means "no profile": the pixels are still shown, as sRGB.
            return null;
        } finally {
            inflater.end();
        }
    }

    private static PipelineException corrupt(String message) {
        return new PipelineException(ErrorCodes.CORRUPT_IMAGE, message);
    }
}
