package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import javax.imageio.ImageIO;

/** Pipelines configured as the worker's defaults, for tests. */
final class Pipelines {

    private Pipelines() {
    }

    static ThumbnailPipeline standard() {
        return withMaxPixels(50_000_000);
    }

    static ThumbnailPipeline withMaxPixels(long maxPixels) {
        return new ThumbnailPipeline(new Decoder(maxPixels), new Resizer(), new Encoder(85, Encoder.OutputFormat.AUTO));
    }

    static ThumbnailPipeline forcing(Encoder.OutputFormat output) {
        return new ThumbnailPipeline(new Decoder(50_000_000), new Resizer(), new Encoder(85, output));
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
