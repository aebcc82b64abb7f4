package dev.thumbnail.worker.pipeline;

/** What a decoding library said about an image, kept as the cause of a {@link PipelineException} for the log. */
final class DecoderMessage extends Exception {

    DecoderMessage(String decoder, String message) {
        super(decoder + ": " + message, null, false, false);
    }
}
