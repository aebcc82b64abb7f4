package dev.thumbnail.worker.pipeline;

import java.awt.color.ICC_Profile;
import java.util.Optional;

import dev.thumbnail.contracts.ErrorCodes;
import dev.thumbnail.imagemeta.ImageFormat;
import dev.thumbnail.imagemeta.ImageHeader;

/**
 * The decode step: the decoders in turn, the fastest first, each shrinking on load where it can. A decoder's refusal
 * (a process, precision or layout it does not implement) is not a verdict: the next one is asked. libjpeg-turbo
 * (where loaded) for JPEGs, then this service's own PNG decoder, then ImageIO with the TwelveMonkeys plugins, which
 * read the rest. Damage found by a decoder is the verdict ({@code CORRUPT_IMAGE}); when the last decoder refuses too,
 * {@code UNSUPPORTED_FORMAT}.
 */
public class Decoder {

    private final Optional<TurboJpeg> turboJpeg;

    /** A decoder with the pure-Java JPEG path only. */
    public Decoder() {
        this(Optional.empty());
    }

    Decoder(Optional<TurboJpeg> turboJpeg) {
        this.turboJpeg = turboJpeg;
    }

    /** Memory for originals: native where libjpeg-turbo reads them without a copy, else the heap. */
    Original.Memory originals() {
        return turboJpeg.map(TurboJpeg::originals).orElse(Original.HEAP);
    }

    /**
     * @param header the original's header, already checked against the limits
     * @param fit    the thumbnail's size as displayed
     */
    public Decoded decode(Original original, ImageHeader header, Fit fit, Deadline deadline) throws PipelineException {
        if (header.format() == ImageFormat.JPEG && turboJpeg.isPresent()) {
            Optional<TurboJpeg.Decoding> decoded = turboJpeg.get().decode(original, fit.stored(header),
                    TurboJpeg.TJFLAG_LIMITSCANS);
            deadline.check();
            if (decoded.isPresent()) {
                return new Decoded(header, fit, decoded.get(), decoded.get().profile());
            }
        }
        ICC_Profile profile = null;
        if (header.format() == ImageFormat.PNG) {
            PngDecoder.Image png = PngDecoder.open(original.bytes());
            if (png.width() != header.width() || png.height() != header.height()) {
                png.close();
                throw new PipelineException(ErrorCodes.CORRUPT_IMAGE, "The PNG image's header says "
                        + png.width() + "x" + png.height() + " where its first header said " + header.width() + "x"
                        + header.height() + ".");
            }
            if (PngDecoder.decodable(png)) {
                Pixels pixels;
                try {
                    pixels = PngDecoder.pixels(png, deadline);
                } catch (PipelineException | RuntimeException e) {
                    png.close();
                    throw e;
                }
                return new Decoded(header, fit, pixels, png.profile());
            }
            // Interlaced and very large: ImageIO subsamples while it decodes, which bounds the memory.
            profile = png.profile();
            png.close();
        }
        return ImageIoDecoder.decode(original, header, fit, deadline, profile);
    }
}
