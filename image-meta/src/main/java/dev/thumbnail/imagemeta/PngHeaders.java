package dev.thumbnail.imagemeta;

/**
 * PNG: the size from IHDR, which comes first and only once; before the first IDAT, the frame count of an animation (acTL) and the
 * orientation of the first eXIf chunk.
 */
final class PngHeaders {

    private static final long IHDR = 0x49484452L;
    private static final long IDAT = 0x49444154L;
    private static final long IEND = 0x49454E44L;
    private static final long ACTL = 0x6163544CL;
    private static final long EXIF = 0x65584966L;

    private PngHeaders() {
    }

    static ImageHeader read(Bytes in) throws Bytes.Incomplete, CorruptImageException {
        if (in.u32be(8) != 13 || in.u32be(12) != IHDR) {
            throw new CorruptImageException("PNG does not start with an IHDR chunk");
        }
        long width = in.u32be(16);
        long height = in.u32be(20);
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw new CorruptImageException("PNG header declares a size beyond the format's limit");
        }
        int frames = 1;
        int orientation = 0;
        long at = 8 + 8 + 13 + 4;
        while (at + 8 <= in.fileSize()) {
            long length = in.u32be(at);
            long type = in.u32be(at + 4);
            if (type == IDAT || type == IEND) {
                break;
            }
            if (type == IHDR) {
                // Exactly one (PNG specification, 5.6): a decoder that kept the last one would decode at a size the
                // limits never saw (1 x 1 here, 100,000,000 x 1 there).
                throw new CorruptImageException("PNG has more than one IHDR chunk");
            }
            if (type == ACTL && length >= 8) {
                frames = (int) Math.min(Integer.MAX_VALUE, Math.max(1, in.u32be(at + 8)));
            } else if (type == EXIF && orientation == 0) {
                orientation = Exif.orientation(in, at + 8, length);
            }
            at += 12 + length;
        }
        return new ImageHeader(ImageFormat.PNG, (int) width, (int) height, frames, Math.max(1, orientation));
    }
}
