package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FitTest {

    @ParameterizedTest(name = "{0}x{1} in 100x100 -> {2}x{3}")
    @CsvSource({
            "613, 624, 98, 100",   // the old service's README example (exact: 98.24 x 100)
            "1920, 1280, 100, 67", // landscape 3:2
            "1000, 1500, 67, 100", // portrait
            "500, 500, 100, 100",  // square
            "3000, 300, 100, 10",  // panorama
            "300, 3000, 10, 100",  // tall strip
            "64, 48, 64, 48",      // small: never upscaled
            "100, 100, 100, 100",  // exactly the box
            "101, 100, 100, 99",
            "4000, 3000, 100, 75",
            "10000, 1, 100, 1",    // never collapses to zero
    })
    void fitsInsideTheBoxKeepingTheAspectRatio(int width, int height, int expectedWidth, int expectedHeight) {
        assertEquals(new Fit(expectedWidth, expectedHeight), Fit.inside(width, height, 100, 100));
    }
}
