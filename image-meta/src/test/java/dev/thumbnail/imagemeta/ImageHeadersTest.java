package dev.thumbnail.imagemeta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.thumbnail.testfixtures.TestImages;

class ImageHeadersTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}x{2}")
    @CsvSource({
            "jpg, 640, 427, JPEG",
            "png, 613, 624, PNG",
            "gif, 480, 270, GIF",
            "bmp, 400, 300, BMP",
            "tiff, 600, 450, TIFF",
    })
    void readsTheSizeFromTheHeader(String extension, int width, int height, ImageFormat format) throws Exception {
        ImageHeader header = ImageHeaders.read(write(TestImages.encoded(width, height, extension)));

        assertEquals(new ImageHeader(format, width, height, 1, 1), header);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 4, 5, 6, 7, 8 })
    void readsTheExifOrientationOfAJpeg(int orientation) throws Exception {
        byte[] jpeg = TestImages.jpegWithExif(TestImages.encoded(300, 200, "jpg"), TestImages.exifTiff(orientation));

        ImageHeader header = ImageHeaders.read(write(jpeg));

        assertEquals(orientation, header.orientation());
        assertEquals(orientation >= 5 ? 200 : 300, header.displayWidth());
    }

    @ParameterizedTest
    @ValueSource(ints = { 3, 6, 8 })
    void readsTheExifOrientationOfAPng(int orientation) throws Exception {
        byte[] png = TestImages.pngWithChunk(TestImages.encoded(30, 20, "png"), "eXIf", TestImages.exifTiff(orientation));

        assertEquals(orientation, ImageHeaders.read(write(png)).orientation());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 9, 65535 })
    void treatsAnInvalidOrientationAsStored(int orientation) throws Exception {
        byte[] jpeg = TestImages.jpegWithExif(TestImages.encoded(30, 20, "jpg"), TestImages.exifTiff(orientation));

        assertEquals(1, ImageHeaders.read(write(jpeg)).orientation());
    }

    @Test
    void survivesAnExifIfdThatPointsOutsideItself() throws Exception {
        byte[] tiff = TestImages.exifTiff(6);
        ByteBuffer.wrap(tiff).putInt(4, Integer.MAX_VALUE);
        byte[] jpeg = TestImages.jpegWithExif(TestImages.encoded(30, 20, "jpg"), tiff);

        assertEquals(1, ImageHeaders.read(write(jpeg)).orientation());
    }

    @Test
    void readsAHugeSizeFromAHeaderOnlyFile() throws Exception {
        byte[] png = TestImages.encoded(10, 10, "png");
        ByteBuffer.wrap(png).putInt(16, 100_000).putInt(20, 100_000);

        ImageHeader header = ImageHeaders.read(write(Arrays.copyOf(png, 33)));

        assertEquals(10_000_000_000L, header.pixels());
    }

    @Test
    void marksAWebpCodedLosslesslyOrWithAlphaAsDecodedWhole() throws Exception {
        ImageHeader lossless = ImageHeaders.read(write(TestImages.losslessWebpHeader(7000, 7000)));
        assertEquals(new ImageHeader(ImageFormat.WEBP, 7000, 7000, 1, 1, 49_000_000L, true), lossless);

        assertTrue(ImageHeaders.read(write(TestImages.extendedWebpHeader(5000, 4000, 0x10, "ALPH", "VP8 ")))
                .decodedWhole(), "a lossy frame with an alpha plane");
        assertTrue(ImageHeaders.read(write(TestImages.extendedWebpHeader(5000, 4000, 0x08, "EXIF", "VP8L")))
                .decodedWhole(), "a lossless frame after EXIF");
        assertTrue(ImageHeaders.read(write(TestImages.extendedWebpHeader(5000, 4000, 0x02, "ANIM", "ANMF/VP8L",
                "ANMF/VP8 "))).decodedWhole(), "an animation whose first frame is lossless");

        assertFalse(ImageHeaders.read(write(TestImages.extendedWebpHeader(5000, 4000, 0, "VP8 "))).decodedWhole(),
                "a lossy frame");
        assertFalse(ImageHeaders.read(write(TestImages.extendedWebpHeader(5000, 4000, 0x02, "ANIM", "ANMF/VP8 ",
                "ANMF/VP8L"))).decodedWhole(), "an animation whose first frame is lossy");
        assertFalse(ImageHeaders.read(write(TestImages.encoded(64, 48, "jpg"))).decodedWhole(), "a JPEG");
    }

    @Test
    void countsEveryFrameOfAnAnimatedGif() throws Exception {
        ImageHeader header = ImageHeaders.read(write(animatedGif(5)));

        assertEquals(5, header.frames());
        assertEquals(5L * 64 * 48, header.pixels());
    }

    @Test
    void refusesTextAndEmptyFilesAsUnsupported() throws Exception {
        assertThrows(UnsupportedImageException.class,
                () -> ImageHeaders.read(write("hello, world".getBytes())));
        assertThrows(UnsupportedImageException.class, () -> ImageHeaders.read(write(new byte[0])));
    }

    @Test
    void refusesAJpegCutInsideItsHeaderAsCorrupt() throws Exception {
        byte[] jpeg = TestImages.jpegWithExif(TestImages.encoded(640, 480, "jpg"), TestImages.exifTiff(1));

        assertThrows(CorruptImageException.class,
                () -> ImageHeaders.read(write(Arrays.copyOf(jpeg, 60))));
    }

    /** Height 0 in the frame header: given later by a DNL marker, valid and read by no decoder here (issue 12). */
    @Test
    void callsAJpegWithItsHeightInADnlMarkerUnsupported() throws Exception {
        byte[] jpeg = TestImages.encoded(64, 32, "jpg");
        for (int i = 2; i + 8 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                jpeg[i + 5] = 0;
                jpeg[i + 6] = 0;
                break;
            }
        }
        UnsupportedImageException e = assertThrows(UnsupportedImageException.class,
                () -> ImageHeaders.read(write(jpeg)));
        assertTrue(e.getMessage().contains("DNL"), e.getMessage());
    }

    @Test
    void refusesAPngWithoutIhdrAsCorrupt() throws Exception {
        byte[] png = Arrays.copyOf(TestImages.encoded(10, 10, "png"), 64);
        Arrays.fill(png, 8, 64, (byte) 0x5A);

        assertThrows(CorruptImageException.class, () -> ImageHeaders.read(write(png)));
    }

    @Test
    void refusesAPngWithASecondIhdrAsCorrupt() throws Exception {
        byte[] second = ByteBuffer.allocate(13).putInt(100_000_000).putInt(1).put(new byte[] {8, 2, 0, 0, 0}).array();
        byte[] png = TestImages.pngWithChunk(TestImages.encoded(1, 1, "png"), "IHDR", second);

        CorruptImageException e = assertThrows(CorruptImageException.class, () -> ImageHeaders.read(write(png)));
        assertTrue(e.getMessage().contains("more than one IHDR"), e.getMessage());
    }

    @Test
    void takesTheOrientationOfTheFirstExifSegmentOfAJpeg() throws Exception {
        byte[] first = TestImages.jpegWithExif(TestImages.encoded(300, 200, "jpg"), TestImages.exifTiff(1));
        // jpegWithExif puts its segment right after SOI, so the one added last comes first.
        byte[] both = TestImages.jpegWithExif(first, TestImages.exifTiff(6));

        assertEquals(6, ImageHeaders.read(write(both)).orientation());
    }

    @Test
    void takesTheOrientationOfTheFirstExifChunkOfAPng() throws Exception {
        byte[] png = TestImages.pngWithChunk(TestImages.encoded(30, 20, "png"), "eXIf", TestImages.exifTiff(1));
        byte[] both = TestImages.pngWithChunk(png, "eXIf", TestImages.exifTiff(8));

        assertEquals(8, ImageHeaders.read(write(both)).orientation());
    }

    @Test
    void sizesAGifByItsLogicalScreenNotItsFrames() throws Exception {
        byte[] gif = animatedGif(1);
        // The screen twice as wide as the frame, the frame at its right half.
        ByteBuffer.wrap(gif).order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(6, (short) 128);
        ByteBuffer.wrap(gif).order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(firstImageDescriptor(gif) + 1,
                (short) 64);

        ImageHeader header = ImageHeaders.read(write(gif));

        assertEquals(128, header.width());
        assertEquals(48, header.height());
        assertEquals(128L * 48, header.pixels());
    }

    @Test
    void countsAGifFrameLargerThanItsScreenAtItsOwnSize() throws Exception {
        byte[] gif = animatedGif(2);
        ByteBuffer.wrap(gif).order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(6, (short) 32).putShort(8, (short) 24);

        ImageHeader header = ImageHeaders.read(write(gif));

        assertEquals(32, header.width());
        assertEquals(24, header.height());
        assertEquals(2L * 64 * 48, header.pixels(), "two 64x48 frames");
    }

    @Test
    void readsPastTheFirstBytesWhenTheHeaderGoesOnFurther() throws Exception {
        byte[] jpeg = TestImages.encoded(640, 480, "jpg");
        // Five 64 KB comment segments before the frame header: it starts past the 256 KB first read.
        java.io.ByteArrayOutputStream big = new java.io.ByteArrayOutputStream();
        big.write(jpeg, 0, 2);
        for (int i = 0; i < 5; i++) {
            big.write(0xFF);
            big.write(0xFE);
            big.write(0xFF);
            big.write(0xFF);
            big.write(new byte[0xFFFF - 2], 0, 0xFFFF - 2);
        }
        big.write(jpeg, 2, jpeg.length - 2);
        byte[] file = big.toByteArray();

        assertEquals(640, ImageHeaders.read(write(file)).width());
        boolean[] readWhole = new boolean[1];
        ImageHeader header = ImageHeaders.read(ByteBuffer.wrap(file, 0, 1000).slice(), file.length, () -> {
            readWhole[0] = true;
            return ByteBuffer.wrap(file);
        });
        assertEquals(480, header.height());
        assertTrue(readWhole[0]);
    }

    /**
     * A GIF is walked to its end for its frames: past the first 256 KB the rest comes from the file mapped, never read
     * into the heap (uploads up to the byte limit, on an API with a 128 MB heap).
     */
    @Test
    void mapsTheWholeFileOutsideTheHeapWhenTheHeaderGoesOnPastTheFirstBytes() throws Exception {
        byte[] gif = animatedGif(3000);
        assertTrue(gif.length > ImageHeaders.HEAD_BYTES, gif.length + " bytes");
        Path file = write(gif);

        ByteBuffer whole = ImageHeaders.map(file);
        assertTrue(whole.isDirect(), "mapped, not a heap array");
        assertFalse(whole.hasArray());
        assertEquals(gif.length, whole.remaining());
        byte[] back = new byte[gif.length];
        whole.get(back);
        assertArrayEquals(gif, back);

        ImageHeader header = ImageHeaders.read(file);
        assertEquals(64, header.width());
        assertEquals(3000, header.frames());
    }

    /** Offset of the first image descriptor (0x2C) of a GIF without a global colour table's surprises. */
    private static int firstImageDescriptor(byte[] gif) {
        int at = 13 + ((gif[10] & 0x80) != 0 ? 3 * (1 << ((gif[10] & 0x07) + 1)) : 0);
        while ((gif[at] & 0xFF) == 0x21) {
            at += 2;
            while (gif[at] != 0) {
                at += 1 + (gif[at] & 0xFF);
            }
            at++;
        }
        return at;
    }

    private byte[] animatedGif(int frames) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames; i++) {
                BufferedImage frame = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_INDEXED);
                writer.writeToSequence(new IIOImage(frame, null,
                        writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null)), null);
            }
            writer.endWriteSequence();
        }
        writer.dispose();
        return bytes.toByteArray();
    }

    private Path write(byte[] bytes) throws Exception {
        Path file = Files.createTempFile(dir, "image", "");
        Files.write(file, bytes);
        return file;
    }
}
