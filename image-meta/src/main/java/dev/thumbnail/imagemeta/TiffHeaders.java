package dev.thumbnail.imagemeta;

/** TIFF: ImageWidth (256), ImageLength (257) and Orientation (274) of the first IFD, the image shown. */
final class TiffHeaders {

    private TiffHeaders() {
    }

    static ImageHeader read(Bytes in) throws Bytes.Incomplete, CorruptImageException {
        boolean little = in.u8(0) == 'I';
        Exif.Tiff tiff = new Exif.Tiff(in, 0, in.fileSize(), little);
        long ifd = tiff.u32(4);
        if (ifd < 8 || ifd + 2 > in.fileSize()) {
            throw new CorruptImageException("TIFF first IFD offset is outside the file");
        }
        int entries = tiff.u16(ifd);
        if (entries > Exif.MAX_IFD_ENTRIES || ifd + 2 + 12L * entries > in.fileSize()) {
            throw new CorruptImageException("TIFF first IFD is larger than the file");
        }
        int width = tiff.value(ifd + 2, entries, 256);
        int height = tiff.value(ifd + 2, entries, 257);
        if (width <= 0 || height <= 0) {
            throw new CorruptImageException("TIFF first IFD has no image size");
        }
        return new ImageHeader(ImageFormat.TIFF, width, height, 1, Exif.valid(tiff.value(ifd + 2, entries,
                Exif.ORIENTATION)));
    }
}
