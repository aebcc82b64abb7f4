package dev.thumbnail.imagemeta;

/** BMP: the size from the DIB header after the 14-byte file header (a negative height means top-down rows). */
final class BmpHeaders {

    private BmpHeaders() {
    }

    static ImageHeader read(Bytes in) throws Bytes.Incomplete, CorruptImageException {
        long dibSize = in.u32le(14);
        if (dibSize == 12) {
            return new ImageHeader(ImageFormat.BMP, in.u16le(18), in.u16le(20), 1, 1);
        }
        int width = (int) in.u32le(18);
        int height = (int) in.u32le(22);
        if (height == Integer.MIN_VALUE) {
            throw new CorruptImageException("BMP header declares an impossible height");
        }
        return new ImageHeader(ImageFormat.BMP, width, Math.abs(height), 1, 1);
    }
}
