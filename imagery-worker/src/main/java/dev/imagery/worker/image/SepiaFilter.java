package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/**
 * The classic sepia matrix, in place, straight on the bytes of a {@link StandardImage}:
 * <pre>
 * R' = .393 R + .769 G + .189 B
 * G' = .349 R + .686 G + .168 B
 * B' = .272 R + .534 G + .131 B
 * </pre>
 * clamped to 255 and rounded half up. Integer arithmetic in thousandths is exact (the weights have
 * three decimals), so results do not depend on floating-point rounding. Alpha is left as it is.
 */
final class SepiaFilter {

    private SepiaFilter() {
    }

    static int red(int r, int g, int b) {
        return Math.min(255, (393 * r + 769 * g + 189 * b + 500) / 1000);
    }

    static int green(int r, int g, int b) {
        return Math.min(255, (349 * r + 686 * g + 168 * b + 500) / 1000);
    }

    static int blue(int r, int g, int b) {
        return Math.min(255, (272 * r + 534 * g + 131 * b + 500) / 1000);
    }

    /** Filters the image in place; it must be a {@link StandardImage}. */
    static void apply(BufferedImage image) {
        apply(image, false);
    }

    /**
     * Filters the image in place unless it is grey ({@link SepiaPalette#isGrey}): a grey image is left as it is for
     * its PNG's palette, which is its sepia. Returns whether it was grey.
     */
    static boolean applyUnlessGrey(BufferedImage image, boolean parallel) {
        boolean grey = SepiaPalette.isGrey(image, parallel);
        if (!grey) {
            apply(image, parallel);
        }
        return grey;
    }

    /** Filters the image in place, on all cores when {@code parallel} ({@link PixelBands}). */
    static void apply(BufferedImage image, boolean parallel) {
        if (!StandardImage.isStandard(image)) {
            throw new IllegalArgumentException("Not a standard image: type " + image.getType());
        }
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int bands = image.getRaster().getNumBands();
        PixelBands.run(image.getWidth() * image.getHeight(), parallel, (from, to) -> apply(data, bands, from, to));
    }

    /** Pixels [from, to) of interleaved BGR or ABGR bytes. */
    private static void apply(byte[] data, int bands, int from, int to) {
        // TYPE_3BYTE_BGR is B,G,R; TYPE_4BYTE_ABGR is A,B,G,R: colour starts after the alpha byte.
        int first = bands == 4 ? 1 : 0;
        int end = to * bands;
        for (int i = from * bands + first; i < end; i += bands) {
            int b = data[i] & 0xFF;
            int g = data[i + 1] & 0xFF;
            int r = data[i + 2] & 0xFF;
            data[i] = (byte) blue(r, g, b);
            data[i + 1] = (byte) green(r, g, b);
            data[i + 2] = (byte) red(r, g, b);
        }
    }
}
