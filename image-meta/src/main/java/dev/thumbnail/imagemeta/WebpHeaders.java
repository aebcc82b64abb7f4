package dev.thumbnail.imagemeta;

/**
 * WebP: the first chunk of the RIFF container gives the size (VP8 frame header, VP8L bit-packed header, or the VP8X
 * canvas); with VP8X the other chunks give the frame count (ANMF) and the orientation (the first EXIF chunk).
 */
final class WebpHeaders {

    private static final int MAX_FRAMES = 1_000_000;

    private WebpHeaders() {
    }

    static ImageHeader read(Bytes in) throws Bytes.Incomplete, CorruptImageException {
        long length = in.u32le(16);
        long data = 20;
        if (in.matches(12, "VP8 ")) {
            if (in.u8(data + 3) != 0x9D || in.u8(data + 4) != 0x01 || in.u8(data + 5) != 0x2A) {
                throw new CorruptImageException("WebP VP8 frame has no start code");
            }
            return new ImageHeader(ImageFormat.WEBP, in.u16le(data + 6) & 0x3FFF, in.u16le(data + 8) & 0x3FFF, 1, 1);
        }
        if (in.matches(12, "VP8L")) {
            if (in.u8(data) != 0x2F) {
                throw new CorruptImageException("WebP VP8L has no signature");
            }
            long bits = in.u32le(data + 1);
            return new ImageHeader(ImageFormat.WEBP, (int) (bits & 0x3FFF) + 1, (int) ((bits >>> 14) & 0x3FFF) + 1,
                    1, 1);
        }
        if (in.matches(12, "VP8X")) {
            int flags = in.u8(data);
            int width = in.u24le(data + 4) + 1;
            int height = in.u24le(data + 7) + 1;
            int frames = 0;
            int orientation = 0;
            long at = data + length + (length & 1);
            while (at + 8 <= in.fileSize() && frames < MAX_FRAMES) {
                long chunk = in.u32le(at + 4);
                if (in.matches(at, "ANMF")) {
                    frames++;
                } else if (in.matches(at, "EXIF") && (flags & 0x08) != 0 && orientation == 0) {
                    long start = in.matches(at + 8, "Exif\0\0") ? at + 14 : at + 8;
                    orientation = Exif.orientation(in, start, chunk - (start - at - 8));
                }
                at += 8 + chunk + (chunk & 1);
            }
            return new ImageHeader(ImageFormat.WEBP, width, height, Math.max(1, frames), Math.max(1, orientation));
        }
        throw new CorruptImageException("WebP has an unknown first chunk");
    }
}
