package dev.thumbnail.imagemeta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageFormatTest {

    @ParameterizedTest
    @CsvSource({
            "FFD8FFE000104A464946, JPEG",
            "89504E470D0A1A0A0000, PNG",
            "474946383961FFFF, GIF",
            "474946383761FFFF, GIF",
            "424D3604000000000000360000002800000064, BMP",
            "524946462400000057454250, WEBP",
            "49492A0008000000, TIFF",
            "4D4D002A00000008, TIFF",
    })
    void recognisesFormatsByTheirMagicBytes(String hex, ImageFormat expected) {
        byte[] head = hex(hex);
        int seen = Math.min(head.length, ImageFormat.SNIFF_LENGTH);

        assertEquals(Optional.of(expected), ImageFormat.sniff(head, seen));
    }

    @ParameterizedTest
    @CsvSource({
            "'hello, I am a text file pretending to be a jpeg'",
            "'<svg xmlns=\"http://www.w3.org/2000/svg\"/>'",
            "'RIFF....WAVEfmt '",
            "'%PDF-1.7'",
            "'BM'",
    })
    void refusesWhatIsNotAnImage(String text) {
        byte[] head = text.getBytes(StandardCharsets.US_ASCII);

        assertTrue(ImageFormat.sniff(head, head.length).isEmpty());
    }

    @org.junit.jupiter.api.Test
    void refusesAnEmptyOrTooShortHead() {
        assertTrue(ImageFormat.sniff(new byte[0], 0).isEmpty());
        assertTrue(ImageFormat.sniff(new byte[] { (byte) 0xFF, (byte) 0xD8 }, 2).isEmpty());
        assertTrue(ImageFormat.sniff(hex("FFD8FF00"), 2).isEmpty());
    }

    private static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
