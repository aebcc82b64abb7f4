package dev.thumbnail.imagemeta;

/**
 * GIF: the picture is the logical screen, whatever the frames' own sizes and offsets (a frame is drawn on it, clipped
 * to it), so the size is the screen's; every frame is counted for the pixel limit, at its own size where that is
 * larger (a decoder allocates a frame whole before it draws it). Frames are walked by their block
 * lengths only, never decompressed.
 */
final class GifHeaders {

    /** Counting is linear in the file size, which the upload limit bounds; this only bounds the count itself. */
    private static final int MAX_FRAMES = 1_000_000;

    private GifHeaders() {
    }

    static ImageHeader read(Bytes in) throws Bytes.Incomplete, CorruptImageException {
        int width = in.u16le(6);
        int height = in.u16le(8);
        int flags = in.u8(10);
        long at = 13;
        if ((flags & 0x80) != 0) {
            at += 3L * (1 << ((flags & 0x07) + 1));
        }
        int frames = 0;
        long largestFrame = (long) width * height;
        while (frames < MAX_FRAMES && at < in.fileSize()) {
            int block = in.u8(at);
            if (block == 0x3B) {
                break;
            } else if (block == 0x21) {
                at = skipSubBlocks(in, at + 2);
            } else if (block == 0x2C) {
                frames++;
                largestFrame = Math.max(largestFrame, (long) in.u16le(at + 5) * in.u16le(at + 7));
                int imageFlags = in.u8(at + 9);
                at += 10;
                if ((imageFlags & 0x80) != 0) {
                    at += 3L * (1 << ((imageFlags & 0x07) + 1));
                }
                at = skipSubBlocks(in, at + 1);
            } else {
                throw new CorruptImageException("GIF has an unknown block type " + block);
            }
        }
        if (frames == 0) {
            throw new CorruptImageException("GIF has no image");
        }
        return new ImageHeader(ImageFormat.GIF, width, height, frames, 1, frames * largestFrame);
    }

    private static long skipSubBlocks(Bytes in, long at) throws Bytes.Incomplete, CorruptImageException {
        int size;
        while ((size = in.u8(at)) != 0) {
            at += 1 + size;
        }
        return at + 1;
    }
}
