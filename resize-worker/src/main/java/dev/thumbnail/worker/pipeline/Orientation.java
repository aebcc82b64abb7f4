package dev.thumbnail.worker.pipeline;

import java.awt.image.BufferedImage;

/**
 * Turns pixels as stored into pixels as displayed, for the eight EXIF orientations. Values 1 (and anything invalid,
 * which the header reader maps to 1) leave the image as it is.
 */
public final class Orientation {

    private Orientation() {
    }

    /** @param image an {@code INT_RGB} or {@code INT_ARGB} image */
    public static BufferedImage apply(BufferedImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, image.getType());
        int[] src = image.getRGB(0, 0, w, h, null, 0, w);
        int outWidth = out.getWidth();
        int[] dst = new int[src.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int tx;
                int ty;
                switch (orientation) {
                    case 2 -> { tx = w - 1 - x; ty = y; }          // mirrored horizontally
                    case 3 -> { tx = w - 1 - x; ty = h - 1 - y; }  // rotated 180
                    case 4 -> { tx = x; ty = h - 1 - y; }          // mirrored vertically
                    case 5 -> { tx = y; ty = x; }                  // transposed
                    case 6 -> { tx = h - 1 - y; ty = x; }          // rotated 90 clockwise
                    case 7 -> { tx = h - 1 - y; ty = w - 1 - x; }  // transversed
                    default -> { tx = y; ty = w - 1 - x; }         // 8: rotated 90 counter-clockwise
                }
                dst[ty * outWidth + tx] = src[y * w + x];
            }
        }
        out.setRGB(0, 0, out.getWidth(), out.getHeight(), dst, 0, outWidth);
        return out;
    }
}
