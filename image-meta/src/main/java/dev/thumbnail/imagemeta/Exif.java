package dev.thumbnail.imagemeta;

/**
 * The orientation (tag 274) in IFD0 of an EXIF block, a TIFF structure, read within its bounds: only IFD0 is read, so
 * no offset chain can loop, and a block that points outside itself, or holds a value out of 1-8, means "as stored".
 */
final class Exif {

    /** Real EXIF blocks are a few KB (a JPEG segment holds at most 64 KB); larger ones are not read. */
    static final int MAX_BYTES = 256 * 1024;
    /** A real IFD0 has a few dozen entries. */
    static final int MAX_IFD_ENTRIES = 1024;
    static final int ORIENTATION = 274;

    private Exif() {
    }

    /** The orientation in the EXIF (TIFF) block of {@code length} bytes at {@code start}; 1 when there is none. */
    static int orientation(Bytes in, long start, long length) throws Bytes.Incomplete, CorruptImageException {
        if (length < 8 || length > MAX_BYTES) {
            return 1;
        }
        boolean little;
        if (in.matches(start, "II")) {
            little = true;
        } else if (in.matches(start, "MM")) {
            little = false;
        } else {
            return 1;
        }
        Tiff tiff = new Tiff(in, start, length, little);
        long ifd = tiff.u32(4);
        if (ifd < 8 || ifd + 2 > length) {
            return 1;
        }
        int entries = tiff.u16(ifd);
        if (entries > MAX_IFD_ENTRIES || ifd + 2 + 12L * entries > length) {
            return 1;
        }
        return valid(tiff.value(ifd + 2, entries, ORIENTATION));
    }

    static int valid(int orientation) {
        return orientation >= 1 && orientation <= 8 ? orientation : 1;
    }

    /** A TIFF-structured range of bytes. */
    record Tiff(Bytes in, long start, long length, boolean little) {

        int u16(long offset) throws Bytes.Incomplete, CorruptImageException {
            return little ? in.u16le(start + offset) : in.u16be(start + offset);
        }

        long u32(long offset) throws Bytes.Incomplete, CorruptImageException {
            return little ? in.u32le(start + offset) : in.u32be(start + offset);
        }

        /** The SHORT or LONG value of {@code tag} among the {@code entries} at {@code offset}; -1 when absent. */
        int value(long offset, int entries, int tag) throws Bytes.Incomplete, CorruptImageException {
            for (int i = 0; i < entries; i++) {
                long entry = offset + 12L * i;
                if (entry + 12 > length) {
                    return -1;
                }
                if (u16(entry) == tag) {
                    int type = u16(entry + 2);
                    if (type == 3) {
                        return u16(entry + 8);
                    }
                    if (type == 4) {
                        return (int) Math.min(Integer.MAX_VALUE, u32(entry + 8));
                    }
                    return -1;
                }
            }
            return -1;
        }
    }
}
