package dev.thumbnail.imagemeta;

/**
 * JPEG: the marker segments up to the frame header (SOFn), which gives the size; the orientation comes from the first
 * APP1 segment that holds EXIF. Later EXIF segments do not count (libvips, Pillow and browsers read the first; a
 * phone's XMP segment, also APP1, may come before it and is passed over).
 */
final class JpegHeaders {

    private JpegHeaders() {
    }

    static ImageHeader read(Bytes in) throws Bytes.Incomplete, CorruptImageException, UnsupportedImageException {
        long at = 2;
        int orientation = 0;
        while (true) {
            if (in.u8(at) != 0xFF) {
                throw new CorruptImageException("JPEG marker expected at offset " + at);
            }
            int type = in.u8(at + 1);
            at += 2;
            while (type == 0xFF) {
                type = in.u8(at);
                at++;
            }
            if (type == 0xD8 || (type >= 0xD0 && type <= 0xD7) || type == 0x01) {
                continue;
            }
            if (type == 0xD9 || type == 0xDA) {
                throw new CorruptImageException("JPEG has no frame header before its image data");
            }
            int length = in.u16be(at);
            if (length < 2) {
                throw new CorruptImageException("JPEG segment with invalid length");
            }
            if (JpegSegments.isStartOfFrame(type)) {
                int height = in.u16be(at + 3);
                int width = in.u16be(at + 5);
                if (height == 0 && width > 0) {
                    // ITU T.81 B.2.5: the height comes later, in a DNL marker after the first scan. Valid, and read
                    // by none of the decoders here (libjpeg: "Empty JPEG image (DNL not supported)").
                    throw new UnsupportedImageException("a JPEG whose height is given by a DNL marker");
                }
                return new ImageHeader(ImageFormat.JPEG, width, height, 1, Math.max(1, orientation));
            }
            if (type == 0xE1 && orientation == 0 && length > 8 && in.matches(at + 2, "Exif\0\0")) {
                orientation = Exif.orientation(in, at + 8, length - 8L);
            }
            at += length;
        }
    }
}
