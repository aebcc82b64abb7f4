package dev.thumbnail.imagemeta;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Reads an {@link ImageHeader} from a file's bytes: the format from its magic bytes ({@link ImageFormat#sniff}), then
 * that format's own reader ({@code JpegHeaders}, {@code PngHeaders}, ...). Only headers and the small metadata blocks
 * that hold the orientation are read, each within bounds and never decompressed, so a hostile file cannot make this
 * allocate or loop.
 */
public final class ImageHeaders {

    /** Bytes read before the header is parsed; every real header fits (a JPEG's EXIF and XMP come first, 64 KB each). */
    public static final int HEAD_BYTES = 256 * 1024;

    private ImageHeaders() {
    }

    /** The rest of a file whose first bytes were not enough. */
    @FunctionalInterface
    public interface WholeFile {
        ByteBuffer read() throws IOException;
    }

    /** The header of a file held whole in {@code file}, from position 0 to its limit. */
    public static ImageHeader read(ByteBuffer file) throws UnsupportedImageException, CorruptImageException {
        try {
            return parse(new Bytes(file, file.limit()));
        } catch (Bytes.Incomplete e) {
            throw new IllegalStateException("a whole file cannot be incomplete", e);
        }
    }

    /**
     * The header of a file of {@code fileSize} bytes, from its first bytes in {@code head}; the rest is read only when
     * the header goes on past them.
     */
    public static ImageHeader read(ByteBuffer head, long fileSize, WholeFile whole)
            throws UnsupportedImageException, CorruptImageException, IOException {
        try {
            return parse(new Bytes(head, fileSize));
        } catch (Bytes.Incomplete e) {
            return read(whole.read());
        }
    }

    /** The header of {@code file}, reading its first {@link #HEAD_BYTES}, and more only when needed. */
    public static ImageHeader read(Path file) throws UnsupportedImageException, CorruptImageException, IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, HEAD_BYTES));
            while (head.hasRemaining() && channel.read(head) >= 0) {
                // until the buffer is full or the file ends
            }
            head.flip();
            return read(head, size, () -> map(file));
        }
    }

    /**
     * The whole of {@code file}, mapped read-only rather than read into the heap, for a header that goes on past the
     * first bytes: a GIF's frames are walked to its end, a TIFF's directory or a WebP's animation chunks may come
     * last. Reading such an upload (up to the byte limit, 20 MB by default) into a heap of 128 MB a few at a time
     * would end the JVM (-XX:+ExitOnOutOfMemoryError); mapped, its pages are the file's own, in the page cache. The
     * file must not be truncated while the buffer is in use (nothing else writes a staged upload).
     */
    public static ByteBuffer map(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        }
    }

    private static ImageHeader parse(Bytes in) throws UnsupportedImageException, CorruptImageException,
            Bytes.Incomplete {
        byte[] magic = new byte[(int) Math.min(ImageFormat.SNIFF_LENGTH, in.fileSize())];
        for (int i = 0; i < magic.length; i++) {
            magic[i] = (byte) in.u8(i);
        }
        ImageFormat format = ImageFormat.sniff(magic, magic.length).orElseThrow(UnsupportedImageException::new);
        ImageHeader header = switch (format) {
            case JPEG -> JpegHeaders.read(in);
            case PNG -> PngHeaders.read(in);
            case GIF -> GifHeaders.read(in);
            case BMP -> BmpHeaders.read(in);
            case WEBP -> WebpHeaders.read(in);
            case TIFF -> TiffHeaders.read(in);
        };
        if (header.width() <= 0 || header.height() <= 0) {
            throw new CorruptImageException(format + " header declares an empty image");
        }
        return header;
    }
}
