package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

class ResizerTest {

    private final Resizer resizer = new Resizer();

    @Test
    void averagesALargeImageDownToTwiceTheThumbnail() throws Exception {
        BufferedImage source = new BufferedImage(320, 214, BufferedImage.TYPE_INT_RGB);

        BufferedImage reduced = resizer.reduce(ImagePixels.of(source, 320, 213.25), new Fit(100, 67));

        assertEquals(200, reduced.getWidth());
        assertEquals(134, reduced.getHeight());
    }

    @Test
    void keepsTheSamePixelsForAnImageAlreadyAtTwiceTheThumbnail() throws Exception {
        BufferedImage source = Fixtures.quadrants(200, 134);

        BufferedImage reduced = resizer.reduce(ImagePixels.of(source), new Fit(100, 67));

        assertArrayEquals(source.getRGB(0, 0, 200, 134, null, 0, 200), reduced.getRGB(0, 0, 200, 134, null, 0, 200));
    }

    @Test
    void countsWhatASubsamplingDecoderKeptAndNotWhatItIgnored() {
        // 3000 pixels at every third: 1000 decoded, spanning exactly 1000.
        assertEquals(1000.0, ImageIoDecoder.extent(3000, 3, 1000));
        // 853 at every fourth: 214 decoded (0, 4, ... 852), the last standing for a single pixel.
        assertEquals(213.25, ImageIoDecoder.extent(853, 4, 214));
        // A reader that ignored the subsampling returned all 853: the image spans them all.
        assertEquals(853.0, ImageIoDecoder.extent(853, 4, 853));
    }

    @Test
    void leavesAnImageUnderTwiceTheThumbnailToImgscalr() throws Exception {
        BufferedImage source = Fixtures.quadrants(150, 100);

        BufferedImage whole = resizer.reduce(ImagePixels.of(source), new Fit(100, 67));

        assertEquals(150, whole.getWidth());
        assertArrayEquals(source.getRGB(0, 0, 150, 100, null, 0, 150), whole.getRGB(0, 0, 150, 100, null, 0, 150));
        assertEquals(new Fit(100, 67).width(), resizer.resize(source, new Fit(100, 67)).getWidth());
    }
}
