package dev.thumbnail.imagemeta;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageLimitsTest {

    private static final long MAX = 50_000_000;
    private static final long MAX_WHOLE = 10_000_000;

    @Test
    void refusesAnImageDecodedWholeOverItsOwnLimit() {
        ImageHeader bomb = new ImageHeader(ImageFormat.WEBP, 7000, 7000, 1, 1, 49_000_000L, true);

        ImageLimits.TooLargeException refused = assertThrows(ImageLimits.TooLargeException.class,
                () -> ImageLimits.check(bomb, MAX, MAX_WHOLE));

        assertEquals("The image is 7000x7000 pixels, coded losslessly or with an alpha plane, which no decoder here "
                + "can shrink while it decodes; the limit for such images is 10000000 pixels.", refused.getMessage());
    }

    @Test
    void takesAnImageDecodedWholeAtItsLimit() {
        assertDoesNotThrow(() -> ImageLimits.check(new ImageHeader(ImageFormat.WEBP, 4000, 2500, 1, 1, 10_000_000L,
                true), MAX, MAX_WHOLE));
    }

    @Test
    void holdsOtherImagesToTheGeneralLimitOnly() {
        assertDoesNotThrow(() -> ImageLimits.check(new ImageHeader(ImageFormat.WEBP, 7000, 7000, 1, 1), MAX,
                MAX_WHOLE));
        assertThrows(ImageLimits.TooLargeException.class, () -> ImageLimits.check(
                new ImageHeader(ImageFormat.JPEG, 8000, 8000, 1, 1), MAX, MAX_WHOLE));
    }
}
