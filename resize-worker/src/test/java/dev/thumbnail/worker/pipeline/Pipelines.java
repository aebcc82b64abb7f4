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

    private static final ThumbnailPipeline STANDARD = ThumbnailPipeline.create(dev.thumbnail.worker.config.DefaultSettings.pipeline());

    /** As the worker runs by default: libjpeg-turbo for JPEGs where the library is installed. */
    static ThumbnailPipeline standard() {
        return STANDARD;
    }

    /** The fallback: ImageIO for every format. */
    static ThumbnailPipeline pureJava() {
        return withMaxPixels(50_000_000);
    }

    static ThumbnailPipeline withMaxPixels(long maxPixels) {
        return ThumbnailPipeline.create(dev.thumbnail.worker.config.DefaultSettings.pipeline().withoutTurboJpeg().withMaxPixels(maxPixels));
    }

    static ThumbnailPipeline forcing(Encoder.OutputFormat output) {
        return ThumbnailPipeline.create(dev.thumbnail.worker.config.DefaultSettings.pipeline().withOutputFormat(output));
    }

    static boolean turboJpegInstalled() {
        return TurboJpeg.load(java.util.Optional.empty()).isPresent();
    }

    /** Runs {@code bytes} through {@code pipeline} into a 100x100 box and checks the output's format and size. */
    static BufferedImage thumbnailOf(ThumbnailPipeline pipeline, java.nio.file.Path dir, byte[] bytes,
            dev.thumbnail.imagemeta.ImageFormat format, int width, int height) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile(dir, "image", "");
        java.nio.file.Files.write(file, bytes);
        ThumbnailPipeline.Result result = pipeline.run(file, 100, 100, Deadline.none());
        org.junit.jupiter.api.Assertions.assertEquals(format, result.format());
        BufferedImage thumbnail = decode(result.bytes());
        org.junit.jupiter.api.Assertions.assertEquals(width, thumbnail.getWidth());
        org.junit.jupiter.api.Assertions.assertEquals(height, thumbnail.getHeight());
        return thumbnail;
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
