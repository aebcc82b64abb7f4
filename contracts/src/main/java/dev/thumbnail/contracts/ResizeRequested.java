package dev.thumbnail.contracts;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Emitted by the API once the upload is stored: "make a thumbnail of the blob at {@code originalKey}". The event is a
 * claim check; it never carries image bytes.
 *
 * @param version          schema version, {@link #CURRENT_VERSION} when written by this code
 * @param taskId           random UUID, also the Kafka record key
 * @param owner            who may read the task: a non-reversible id of the uploader's API key ({@code anonymous}
 *                         when authentication is off), never the key; the view of the task is rebuilt from this event
 * @param originalKey      blob-store key of the uploaded original, derived from the task id
 * @param originalFilename the client's filename, sanitised, for display only; never used to build a path
 * @param contentType      media type sniffed from the file's magic bytes
 * @param sizeBytes        size of the stored original
 * @param target           the box the thumbnail must fit in
 * @param requestedAt      when the API accepted the upload
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResizeRequested(
        int version,
        String taskId,
        String owner,
        String originalKey,
        String originalFilename,
        String contentType,
        long sizeBytes,
        Target target,
        Instant requestedAt) {

    public static final int CURRENT_VERSION = 1;

    /** How the thumbnail is fitted into {@code width x height}. */
    public enum Mode {
        /** Fit inside the box, keep the aspect ratio, never upscale (the old service's behaviour). */
        FIT
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Target(int width, int height, Mode mode) {
    }
}
