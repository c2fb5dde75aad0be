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

    /*
     * The bulk loop looks the nine products of red(), green() and blue() up instead of multiplying them: each table
     * holds one input channel's weighted values for R', G' and B', in thousandths, side by side in a long, so three
     * lookups and three additions give all three rounded sums. A sum is at most 345 005, so a 21-bit field never
     * carries into the next. Same bytes as the three methods (SepiaFilterTest), about 40 % less time.
     */
    private static final int FIELD_BITS = 21;
    private static final long FIELD = (1L << FIELD_BITS) - 1;
    private static final long HALVES = 500L | 500L << FIELD_BITS | 500L << 2 * FIELD_BITS;
    private static final long[] WEIGHTED_RED = weighted(393, 349, 272);
    private static final long[] WEIGHTED_GREEN = weighted(769, 686, 534);
    private static final long[] WEIGHTED_BLUE = weighted(189, 168, 131);

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
     * Filters the image in place unless it is grey ({@link SepiaPalette#of}): a grey image is left as it is for
     * its PNG's palette, which is its sepia. Returns that palette, or null for an image it has filtered.
     */
    static SepiaPalette applyUnlessGrey(BufferedImage image, boolean parallel) {
        SepiaPalette palette = SepiaPalette.of(image, parallel);
        if (palette == null) {
            apply(image, parallel);
        }
        return palette;
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
            long sums = WEIGHTED_BLUE[data[i] & 0xFF] + WEIGHTED_GREEN[data[i + 1] & 0xFF]
                    + WEIGHTED_RED[data[i + 2] & 0xFF] + HALVES;
            data[i] = (byte) thousandths(sums >>> 2 * FIELD_BITS);
            data[i + 1] = (byte) Math.min(255, thousandths(sums >>> FIELD_BITS & FIELD));
            data[i + 2] = (byte) Math.min(255, thousandths(sums & FIELD));
        }
    }

    /** For every value of one input channel: its weight in R', G' and B', in the fields for R', G' and B'. */
    private static long[] weighted(int toRed, int toGreen, int toBlue) {
        long[] table = new long[256];
        for (int v = 0; v < 256; v++) {
            table[v] = (long) toRed * v | (long) toGreen * v << FIELD_BITS | (long) toBlue * v << 2 * FIELD_BITS;
        }
        return table;
    }

    /** A sum in thousandths, already rounded, to whole units: x / 1000 for x < 2^21, as a multiplication. */
    private static int thousandths(long sum) {
        return (int) (sum * 1_073_742L >>> 30);
    }
}
