package dev.thumbnail.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

import dev.thumbnail.devinfra.TestImages;

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
    void countsEveryFrameOfAnAnimatedGif() throws Exception {
        ImageHeader header = ImageHeaders.read(write(animatedGif(5)));

        assertEquals(5, header.frames());
        assertEquals(5L * 64 * 48, header.pixels());
    }

    @Test
    void refusesTextAndEmptyFilesAsUnsupported() throws Exception {
        assertThrows(ImageHeaders.UnsupportedImageException.class,
                () -> ImageHeaders.read(write("hello, world".getBytes())));
        assertThrows(ImageHeaders.UnsupportedImageException.class, () -> ImageHeaders.read(write(new byte[0])));
    }

    @Test
    void refusesAJpegCutInsideItsHeaderAsCorrupt() throws Exception {
        byte[] jpeg = TestImages.jpegWithExif(TestImages.encoded(640, 480, "jpg"), TestImages.exifTiff(1));

        assertThrows(ImageHeaders.CorruptImageException.class,
                () -> ImageHeaders.read(write(Arrays.copyOf(jpeg, 60))));
    }

    @Test
    void refusesAPngWithoutIhdrAsCorrupt() throws Exception {
        byte[] png = Arrays.copyOf(TestImages.encoded(10, 10, "png"), 64);
        Arrays.fill(png, 8, 64, (byte) 0x5A);

        assertThrows(ImageHeaders.CorruptImageException.class, () -> ImageHeaders.read(write(png)));
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
