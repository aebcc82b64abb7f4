package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;

import org.imgscalr.Scalr;

/** Shrinks to the exact fitted size with imgscalr, called synchronously on the worker thread. */
public class Resizer {

    public BufferedImage resize(BufferedImage source, Fit fit) {
        if (source.getWidth() == fit.width() && source.getHeight() == fit.height()) {
            return source;
        }
        return Scalr.resize(source, Scalr.Method.QUALITY, Scalr.Mode.FIT_EXACT, fit.width(), fit.height());
    }
}
