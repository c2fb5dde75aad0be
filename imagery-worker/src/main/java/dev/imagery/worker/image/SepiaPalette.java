package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sepia of a grey pixel depends on its grey level alone, so the sepia of a grey image (a black-and-white photo,
 * a scan, a drawing) has at most 256 colours, and its PNG can be a palette one: the grey levels themselves as indices
 * into the sepia of each level. That is a byte a pixel to filter and deflate instead of three, and no filter pass over
 * the image, for exactly the colours the filter would give. ImageMagick works on such images' one channel too, which
 * made it faster than Imagery on 1- to 4-bit PNGs (docs/PERFORMANCE.md).
 */
final class SepiaPalette {

    /** The PLTE chunk's data: the sepia of grey 0 to 255, red, green and blue each. */
    static final byte[] ENTRIES = new byte[256 * 3];

    /** Pixels checked between looks at whether another band has found a colour. */
    private static final int CHECK_EVERY = 4096;

    static {
        for (int grey = 0; grey < 256; grey++) {
            ENTRIES[grey * 3] = (byte) SepiaFilter.red(grey, grey, grey);
            ENTRIES[grey * 3 + 1] = (byte) SepiaFilter.green(grey, grey, grey);
            ENTRIES[grey * 3 + 2] = (byte) SepiaFilter.blue(grey, grey, grey);
        }
    }

    private SepiaPalette() {
    }

    /**
     * Whether a {@link StandardImage} is opaque and grey: red, green and blue equal in every pixel. A colour image
     * stops the scan at its first colour pixel; a grey one is read through once, on all cores when {@code parallel}.
     */
    static boolean isGrey(BufferedImage image, boolean parallel) {
        if (image.getRaster().getNumBands() != 3) {
            return false;
        }
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        AtomicBoolean colour = new AtomicBoolean();
        PixelBands.run(image.getWidth() * image.getHeight(), parallel, (from, to) -> {
            for (int start = from; start < to && !colour.get(); start += CHECK_EVERY) {
                int end = Math.min(to, start + CHECK_EVERY) * 3;
                for (int i = start * 3; i < end; i += 3) {
                    if (data[i] != data[i + 1] || data[i + 1] != data[i + 2]) {
                        colour.set(true);
                        return;
                    }
                }
            }
        });
        return !colour.get();
    }

    /** The palette indices of {@code width} grey pixels of BGR bytes from {@code at}: their grey levels. */
    static void indices(byte[] bgr, int at, byte[] out, int width) {
        for (int x = 0, i = at; x < width; x++, i += 3) {
            out[x] = bgr[i];
        }
    }
}
