package dev.thumbnail.imagemeta;

/**
 * WebP: the first chunk of the RIFF container gives the size (VP8 frame header, VP8L bit-packed header, or the VP8X
 * canvas); with VP8X the other chunks give the frame count (ANMF) and the orientation (the first EXIF chunk). An image
 * coded losslessly (a VP8L chunk, at the top or first in an animation frame) or with an alpha plane (ALPH) is
 * {@linkplain ImageHeader#decodedWhole decoded whole}: the WebP decoder here shrinks only VP8's lossy frames on load.
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
            int width = (int) (bits & 0x3FFF) + 1;
            int height = (int) ((bits >>> 14) & 0x3FFF) + 1;
            return new ImageHeader(ImageFormat.WEBP, width, height, 1, 1, (long) width * height, true);
        }
        if (in.matches(12, "VP8X")) {
            int flags = in.u8(data);
            int width = in.u24le(data + 4) + 1;
            int height = in.u24le(data + 7) + 1;
            int frames = 0;
            int orientation = 0;
            boolean whole = false;
            long at = data + length + (length & 1);
            while (at + 8 <= in.fileSize() && frames < MAX_FRAMES) {
                long chunk = in.u32le(at + 4);
                if (in.matches(at, "ALPH") || in.matches(at, "VP8L")) {
                    whole = true;
                } else if (in.matches(at, "ANMF")) {
                    // The frame's own data follows its 16-byte header: ALPH or VP8L is decoded whole, VP8 is not.
                    if (frames == 0 && at + 8 + 16 + 4 <= in.fileSize()
                            && (in.matches(at + 24, "ALPH") || in.matches(at + 24, "VP8L"))) {
                        whole = true;
                    }
                    frames++;
                } else if (in.matches(at, "EXIF") && (flags & 0x08) != 0 && orientation == 0) {
                    long start = in.matches(at + 8, "Exif\0\0") ? at + 14 : at + 8;
                    orientation = Exif.orientation(in, start, chunk - (start - at - 8));
                }
                at += 8 + chunk + (chunk & 1);
            }
            int count = Math.max(1, frames);
            return new ImageHeader(ImageFormat.WEBP, width, height, count, Math.max(1, orientation),
                    (long) width * height * count, whole);
        }
        throw new CorruptImageException("WebP has an unknown first chunk");
    }
}
