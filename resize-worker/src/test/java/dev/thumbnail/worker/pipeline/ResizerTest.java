package dev.thumbnail.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

class ResizerTest {

    private final Resizer resizer = new Resizer();

    @Test
    void averagesALargeImageDownToTwiceTheThumbnail() {
        BufferedImage source = new BufferedImage(320, 214, BufferedImage.TYPE_INT_RGB);

        BufferedImage reduced = resizer.reduce(source, 320, 213.25, new Fit(100, 67));

        assertEquals(200, reduced.getWidth());
        assertEquals(134, reduced.getHeight());
    }

    @Test
    void leavesAnImageAlreadyAtTwiceTheThumbnailAlone() {
        BufferedImage source = new BufferedImage(200, 134, BufferedImage.TYPE_INT_RGB);

        assertSame(source, resizer.reduce(source, 200, 134, new Fit(100, 67)));
    }

    @Test
    void countsWhatASubsamplingDecoderKeptAndNotWhatItIgnored() {
        // 3000 pixels at every third: 1000 decoded, spanning exactly 1000.
        assertEquals(1000.0, Decoder.extent(3000, 3, 1000));
        // 853 at every fourth: 214 decoded (0, 4, ... 852), the last standing for a single pixel.
        assertEquals(213.25, Decoder.extent(853, 4, 214));
        // A reader that ignored the subsampling returned all 853: the image spans them all.
        assertEquals(853.0, Decoder.extent(853, 4, 853));
    }

    @Test
    void leavesAnImageUnderTwiceTheThumbnailToImgscalr() {
        BufferedImage source = new BufferedImage(150, 100, BufferedImage.TYPE_INT_RGB);

        assertSame(source, resizer.reduce(source, 150, 100, new Fit(100, 67)));
        assertEquals(new Fit(100, 67).width(), resizer.resize(source, new Fit(100, 67)).getWidth());
    }
}
