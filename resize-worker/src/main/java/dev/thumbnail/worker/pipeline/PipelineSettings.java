package dev.thumbnail.worker.pipeline;

import java.util.Optional;

/**
 * What the pipeline is built from, typed: the pixel limit, the JPEG quality and output format, and whether and where
 * libjpeg-turbo is loaded. The worker makes it from its configuration ({@code WorkerConfig.Image}); tests from their
 * own values.
 *
 * @param maxPixels         images with more pixels than this (all frames counted) are refused before decoding
 * @param maxDecodedWholePixels  the same for images no decoder can shrink on load ({@code ImageHeader.decodedWhole})
 * @param jpegQuality       JPEG thumbnail quality, 0-100
 * @param outputFormat      which format thumbnails are written in
 * @param turboJpegEnabled  whether to use the system's libturbojpeg when it loads
 * @param turboJpegLibrary  its name or path; the usual Linux names when empty
 */
public record PipelineSettings(long maxPixels, long maxDecodedWholePixels, int jpegQuality, Encoder.OutputFormat outputFormat,
        boolean turboJpegEnabled, Optional<String> turboJpegLibrary) {

    public PipelineSettings withMaxPixels(long pixels) {
        return new PipelineSettings(pixels, maxDecodedWholePixels, jpegQuality, outputFormat, turboJpegEnabled,
                turboJpegLibrary);
    }

    public PipelineSettings withOutputFormat(Encoder.OutputFormat format) {
        return new PipelineSettings(maxPixels, maxDecodedWholePixels, jpegQuality, format, turboJpegEnabled,
                turboJpegLibrary);
    }

    public PipelineSettings withoutTurboJpeg() {
        return new PipelineSettings(maxPixels, maxDecodedWholePixels, jpegQuality, outputFormat, false,
                turboJpegLibrary);
    }
}
