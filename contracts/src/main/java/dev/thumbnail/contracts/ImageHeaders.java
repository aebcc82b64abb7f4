package dev.thumbnail.contracts;

import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * Reads {@link ImageHeader}s from files. Only headers and the small metadata blocks that hold the EXIF orientation are
 * read, each with bounded lengths and no decompression, so a hostile file cannot make this allocate or loop.
 */
public final class ImageHeaders {

    /** EXIF blocks larger than this are ignored (real ones are a few KB; the segment limit is 64 KB anyway). */
    private static final int MAX_EXIF_BYTES = 256 * 1024;
    /** Upper bound on IFD entries read; a real IFD0 has a few dozen. */
    private static final int MAX_IFD_ENTRIES = 1024;
    /** Upper bound on GIF frames counted (counting is linear in the file size, which the upload limit bounds). */
    private static final int MAX_FRAMES = 1_000_000;

    private ImageHeaders() {
    }

    /** The header of {@code file}, or an exception naming why there is none. */
    public static ImageHeader read(Path file) throws UnsupportedImageException, CorruptImageException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            byte[] head = new byte[ImageFormat.SNIFF_LENGTH];
            int read = Math.max(0, in.read(head));
            ImageFormat format = ImageFormat.sniff(head, read).orElseThrow(UnsupportedImageException::new);
            in.seek(0);
            ImageHeader header = switch (format) {
                case JPEG -> jpeg(in);
                case PNG -> png(in);
                case GIF -> gif(in);
                case BMP -> bmp(in);
                case WEBP -> webp(in);
                case TIFF -> tiff(in);
            };
            if (header.width() <= 0 || header.height() <= 0) {
                throw new CorruptImageException(format + " header declares an empty image");
            }
            return header;
        } catch (EOFException e) {
            throw new CorruptImageException("the file ends inside its header");
        } catch (IOException e) {
            throw new CorruptImageException("the header cannot be read: " + e.getMessage());
        }
    }

    /** Not an image in a supported format. */
    public static final class UnsupportedImageException extends Exception {
        public UnsupportedImageException() {
            super("not an image in a supported format");
        }
    }

    /** Recognised, but the header is broken or truncated. */
    public static final class CorruptImageException extends Exception {
        public CorruptImageException(String message) {
            super(message);
        }
    }

    // ---- JPEG: walk the marker segments up to the frame header (SOFn); EXIF lives in APP1 before it -----------------

    private static ImageHeader jpeg(RandomAccessFile in) throws IOException, CorruptImageException {
        in.seek(2);
        int orientation = 1;
        while (true) {
            int marker = in.readUnsignedByte();
            if (marker != 0xFF) {
                throw new CorruptImageException("JPEG marker expected at offset " + (in.getFilePointer() - 1));
            }
            int type = in.readUnsignedByte();
            while (type == 0xFF) {
                type = in.readUnsignedByte();
            }
            if (type == 0xD8 || (type >= 0xD0 && type <= 0xD7) || type == 0x01) {
                continue;
            }
            if (type == 0xD9 || type == 0xDA) {
                throw new CorruptImageException("JPEG has no frame header before its image data");
            }
            int length = in.readUnsignedShort();
            if (length < 2) {
                throw new CorruptImageException("JPEG segment with invalid length");
            }
            long next = in.getFilePointer() + length - 2;
            if (isStartOfFrame(type)) {
                in.readUnsignedByte();
                int height = in.readUnsignedShort();
                int width = in.readUnsignedShort();
                return new ImageHeader(ImageFormat.JPEG, width, height, 1, orientation);
            }
            if (type == 0xE1 && length - 2 > 6 && length - 2 <= MAX_EXIF_BYTES) {
                byte[] app1 = new byte[length - 2];
                in.readFully(app1);
                if (app1[0] == 'E' && app1[1] == 'x' && app1[2] == 'i' && app1[3] == 'f' && app1[4] == 0
                        && app1[5] == 0) {
                    orientation = tiffOrientation(app1, 6, app1.length - 6);
                }
            }
            in.seek(next);
        }
    }

    private static boolean isStartOfFrame(int type) {
        return type >= 0xC0 && type <= 0xCF && type != 0xC4 && type != 0xC8 && type != 0xCC;
    }

    // ---- PNG: IHDR comes first; eXIf and acTL (animation) come before the first IDAT --------------------------------

    private static ImageHeader png(RandomAccessFile in) throws IOException, CorruptImageException {
        in.seek(8);
        int length = in.readInt();
        if (length != 13 || in.readInt() != chunk("IHDR")) {
            throw new CorruptImageException("PNG does not start with an IHDR chunk");
        }
        int width = in.readInt();
        int height = in.readInt();
        in.seek(in.getFilePointer() + 5 + 4);
        int frames = 1;
        int orientation = 1;
        while (in.getFilePointer() + 8 <= in.length()) {
            long chunkLength = in.readInt() & 0xFFFFFFFFL;
            int type = in.readInt();
            long next = in.getFilePointer() + chunkLength + 4;
            if (type == chunk("IDAT") || type == chunk("IEND")) {
                break;
            }
            if (type == chunk("acTL") && chunkLength >= 8) {
                frames = (int) Math.min(Integer.MAX_VALUE, in.readInt() & 0xFFFFFFFFL);
            } else if (type == chunk("eXIf") && chunkLength <= MAX_EXIF_BYTES) {
                byte[] exif = new byte[(int) chunkLength];
                in.readFully(exif);
                orientation = tiffOrientation(exif, 0, exif.length);
            }
            in.seek(next);
        }
        return new ImageHeader(ImageFormat.PNG, width, height, Math.max(1, frames), orientation);
    }

    private static int chunk(String type) {
        return type.charAt(0) << 24 | type.charAt(1) << 16 | type.charAt(2) << 8 | type.charAt(3);
    }

    // ---- GIF: the logical screen, then every image descriptor (frames may be larger than the screen) ----------------

    private static ImageHeader gif(RandomAccessFile in) throws IOException, CorruptImageException {
        in.seek(6);
        int width = readLe16(in);
        int height = readLe16(in);
        int flags = in.readUnsignedByte();
        in.skipBytes(2);
        if ((flags & 0x80) != 0) {
            in.seek(in.getFilePointer() + 3L * (1 << ((flags & 0x07) + 1)));
        }
        int frames = 0;
        while (frames < MAX_FRAMES && in.getFilePointer() < in.length()) {
            int block = in.readUnsignedByte();
            if (block == 0x3B) {
                break;
            } else if (block == 0x21) {
                in.readUnsignedByte();
                skipSubBlocks(in);
            } else if (block == 0x2C) {
                frames++;
                in.skipBytes(4);
                width = Math.max(width, readLe16(in));
                height = Math.max(height, readLe16(in));
                int imageFlags = in.readUnsignedByte();
                if ((imageFlags & 0x80) != 0) {
                    in.seek(in.getFilePointer() + 3L * (1 << ((imageFlags & 0x07) + 1)));
                }
                in.readUnsignedByte();
                skipSubBlocks(in);
            } else {
                throw new CorruptImageException("GIF has an unknown block type " + block);
            }
        }
        if (frames == 0) {
            throw new CorruptImageException("GIF has no image");
        }
        return new ImageHeader(ImageFormat.GIF, width, height, frames, 1);
    }

    private static void skipSubBlocks(RandomAccessFile in) throws IOException {
        int size;
        while ((size = in.readUnsignedByte()) != 0) {
            in.seek(in.getFilePointer() + size);
        }
    }

    // ---- BMP: the DIB header after the 14-byte file header ----------------------------------------------------------

    private static ImageHeader bmp(RandomAccessFile in) throws IOException {
        in.seek(14);
        int dibSize = readLe32(in);
        int width;
        int height;
        if (dibSize == 12) {
            width = readLe16(in);
            height = readLe16(in);
        } else {
            width = readLe32(in);
            height = Math.abs(readLe32(in));
        }
        return new ImageHeader(ImageFormat.BMP, width, height, 1, 1);
    }

    // ---- WebP: VP8 / VP8L / VP8X chunks in a RIFF container ---------------------------------------------------------

    private static ImageHeader webp(RandomAccessFile in) throws IOException, CorruptImageException {
        in.seek(12);
        byte[] fourcc = new byte[4];
        in.readFully(fourcc);
        String kind = new String(fourcc, java.nio.charset.StandardCharsets.US_ASCII);
        long chunkLength = readLe32(in) & 0xFFFFFFFFL;
        long chunkData = in.getFilePointer();
        switch (kind) {
            case "VP8 " -> {
                in.skipBytes(3);
                if (in.readUnsignedByte() != 0x9D || in.readUnsignedByte() != 0x01 || in.readUnsignedByte() != 0x2A) {
                    throw new CorruptImageException("WebP VP8 frame has no start code");
                }
                return new ImageHeader(ImageFormat.WEBP, readLe16(in) & 0x3FFF, readLe16(in) & 0x3FFF, 1, 1);
            }
            case "VP8L" -> {
                if (in.readUnsignedByte() != 0x2F) {
                    throw new CorruptImageException("WebP VP8L has no signature");
                }
                int bits = readLe32(in);
                return new ImageHeader(ImageFormat.WEBP, (bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1, 1, 1);
            }
            case "VP8X" -> {
                int flags = in.readUnsignedByte();
                in.skipBytes(3);
                int width = readLe24(in) + 1;
                int height = readLe24(in) + 1;
                int frames = 0;
                int orientation = 1;
                long position = chunkData + chunkLength + (chunkLength & 1);
                while (position + 8 <= in.length() && frames < MAX_FRAMES) {
                    in.seek(position);
                    in.readFully(fourcc);
                    String name = new String(fourcc, java.nio.charset.StandardCharsets.US_ASCII);
                    long length = readLe32(in) & 0xFFFFFFFFL;
                    if (name.equals("ANMF")) {
                        frames++;
                    } else if (name.equals("EXIF") && (flags & 0x08) != 0 && length <= MAX_EXIF_BYTES) {
                        byte[] exif = new byte[(int) length];
                        in.readFully(exif);
                        int offset = exif.length > 6 && exif[0] == 'E' && exif[1] == 'x' ? 6 : 0;
                        orientation = tiffOrientation(exif, offset, exif.length - offset);
                    }
                    position += 8 + length + (length & 1);
                }
                return new ImageHeader(ImageFormat.WEBP, width, height, Math.max(1, frames), orientation);
            }
            default -> throw new CorruptImageException("WebP has an unknown first chunk " + kind.strip());
        }
    }

    // ---- TIFF: the first IFD's ImageWidth, ImageLength and Orientation ----------------------------------------------

    private static ImageHeader tiff(RandomAccessFile in) throws IOException, CorruptImageException {
        boolean little = in.readUnsignedByte() == 'I';
        in.seek(4);
        long ifd = little ? readLe32(in) & 0xFFFFFFFFL : in.readInt() & 0xFFFFFFFFL;
        if (ifd < 8 || ifd + 2 > in.length()) {
            throw new CorruptImageException("TIFF first IFD offset is outside the file");
        }
        in.seek(ifd);
        int entries = little ? readLe16(in) : in.readUnsignedShort();
        if (entries > MAX_IFD_ENTRIES || ifd + 2 + 12L * entries > in.length()) {
            throw new CorruptImageException("TIFF first IFD is larger than the file");
        }
        byte[] table = new byte[12 * entries];
        in.readFully(table);
        Ifd directory = new Ifd(table, 0, table.length, little);
        int width = directory.value(0, entries, 256);
        int height = directory.value(0, entries, 257);
        int orientation = directory.value(0, entries, 274);
        if (width <= 0 || height <= 0) {
            throw new CorruptImageException("TIFF first IFD has no image size");
        }
        return new ImageHeader(ImageFormat.TIFF, width, height, 1, validOrientation(orientation));
    }

    // ---- EXIF (a TIFF structure): IFD0's Orientation tag, read inside a bounded buffer ------------------------------

    static int tiffOrientation(byte[] data, int start, int length) {
        if (length < 8 || start < 0 || start + length > data.length) {
            return 1;
        }
        boolean little;
        if (data[start] == 'I' && data[start + 1] == 'I') {
            little = true;
        } else if (data[start] == 'M' && data[start + 1] == 'M') {
            little = false;
        } else {
            return 1;
        }
        Ifd tiff = new Ifd(data, start, length, little);
        long ifd = tiff.u32(4);
        if (ifd < 8 || ifd + 2 > length) {
            return 1;
        }
        int entries = tiff.u16((int) ifd);
        if (entries > MAX_IFD_ENTRIES || ifd + 2 + 12L * entries > length) {
            return 1;
        }
        return validOrientation(tiff.value((int) ifd + 2, entries, 274));
    }

    private static int validOrientation(int value) {
        return value >= 1 && value <= 8 ? value : 1;
    }

    /** A view of a TIFF-structured byte range; only IFD0 is read, so no offset chain can loop. */
    private record Ifd(byte[] data, int start, int length, boolean little) {

        int u16(int offset) {
            int a = data[start + offset] & 0xFF;
            int b = data[start + offset + 1] & 0xFF;
            return little ? a | b << 8 : a << 8 | b;
        }

        long u32(int offset) {
            long a = u16(offset);
            long b = u16(offset + 2);
            return little ? a | b << 16 : a << 16 | b;
        }

        /** The SHORT or LONG value of {@code tag} among the {@code entries} at {@code offset}; -1 when absent. */
        int value(int offset, int entries, int tag) {
            for (int i = 0; i < entries; i++) {
                int entry = offset + 12 * i;
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

    private static int readLe16(RandomAccessFile in) throws IOException {
        return in.readUnsignedByte() | in.readUnsignedByte() << 8;
    }

    private static int readLe24(RandomAccessFile in) throws IOException {
        return in.readUnsignedByte() | in.readUnsignedByte() << 8 | in.readUnsignedByte() << 16;
    }

    private static int readLe32(RandomAccessFile in) throws IOException {
        return readLe16(in) | readLe16(in) << 16;
    }
}
