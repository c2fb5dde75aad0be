package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.imgscalr.Scalr;

/**
 * The small picture for lists and previews. imgscalr's QUALITY mode halves step by step with bicubic
 * interpolation, which keeps fine detail from aliasing, but each step redraws the whole image: from
 * 18 MP that costs more than encoding the full PNG. So a large image is first averaged down by a
 * whole factor, in one pass over its bytes (a box filter, as exact as it gets for shrinking), to one
 * to two times the thumbnail's size; imgscalr does the rest in one bicubic step.
 */
final class Thumbnails {

    /** Eight bytes of a row at a time, in the order of the bytes (the lanes below depend on it). */
    private static final VarHandle WORDS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Every other byte of a word, in four 16-bit lanes. */
    private static final long EVEN_BYTES = 0x00FF00FF00FF00FFL;
    /** Rows whose bytes a 16-bit lane can add up: 257 × 255 ≤ 65535. */
    private static final int MAX_LANE_ROWS = 257;
    /** Rows whose colours times alpha an int can add up: 33 025 × 255 × 255 < 2^31. */
    static final int MAX_WEIGHTED_ROWS = 33_025;

    private Thumbnails() {
    }

    /**
     * The image with its longer side brought down to {@code maxSide}, proportions kept (each side at least
     * one pixel); an image already that small is returned as it is, never enlarged.
     *
     * @param image a {@link StandardImage}
     */
    static BufferedImage of(BufferedImage image, int maxSide) {
        int w = image.getWidth();
        int h = image.getHeight();
        int longer = Math.max(w, h);
        if (longer <= maxSide) {
            return image;
        }
        double scale = (double) maxSide / longer;
        int tw = w >= h ? maxSide : (int) Math.max(1, Math.round(w * scale));
        int th = h > w ? maxSide : (int) Math.max(1, Math.round(h * scale));
        // Box-shrink to between one and two times the thumbnail (the area average cannot alias), leaving imgscalr
        // a single bicubic step. Measured: 2-4 times left it two steps on up to 1 MP, plus a copy of the
        // full image into its int layout when no box step ran: 38 of the 1.3 MP photo's 100 ms of CPU.
        int factor = longer / maxSide;
        if (image.getRaster().getNumBands() == 4) {
            factor = Math.min(factor, MAX_WEIGHTED_ROWS); // only a side over 33 025 thumbnails long needs more
        }
        BufferedImage source = factor >= 2 ? boxShrink(image, factor) : image;
        return Scalr.resize(source, Scalr.Method.QUALITY, Scalr.Mode.FIT_EXACT, tw, th);
    }

    /**
     * Each pixel of the result is the mean of a {@code factor}×{@code factor} block (smaller at the right and
     * bottom edges). Colours are weighted by alpha, so transparent pixels lend no colour to their
     * neighbours. The result is {@code TYPE_INT_RGB}, or with alpha {@code TYPE_INT_ARGB_PRE}: premultiplied, as
     * the weighted sums come, and as Java2D's bicubic step under imgscalr runs fastest (a 500 × 330 image 7.0 ms on
     * one core against 16.8 unpremultiplied, session 22), weighing neighbours by their alpha there too. With alpha,
     * {@code factor} is at most {@link #MAX_WEIGHTED_ROWS}.
     */
    static BufferedImage boxShrink(BufferedImage image, int factor) {
        int w = image.getWidth();
        int h = image.getHeight();
        int bands = image.getRaster().getNumBands();
        boolean alpha = bands == 4;
        if (alpha && factor > MAX_WEIGHTED_ROWS) {
            throw new IllegalArgumentException("factor over " + MAX_WEIGHTED_ROWS + " with alpha: " + factor);
        }
        byte[] src = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int ow = (w + factor - 1) / factor;
        int oh = (h + factor - 1) / factor;
        BufferedImage out = new BufferedImage(ow, oh,
                alpha ? BufferedImage.TYPE_INT_ARGB_PRE : BufferedImage.TYPE_INT_RGB);
        int[] dst = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        ColumnSums columns = alpha ? null : new ColumnSums(w * 3, factor);
        // Per column: alpha, then blue, green and red times alpha, in ints (twice as fast as longs here).
        int[] weighted = alpha ? new int[w * 4] : null;
        for (int oy = 0; oy < oh; oy++) {
            int yStart = oy * factor;
            int yEnd = Math.min(h, yStart + factor);
            if (alpha) {
                shrinkTranslucentRows(src, w, yStart, yEnd, factor, weighted, dst, oy * ow, ow);
            } else {
                shrinkOpaqueRows(columns.of(src, yStart, yEnd), w, yStart, yEnd, factor, dst, oy * ow, ow);
            }
        }
        return out;
    }

    /** Adds up each block of the band's column sums. */
    private static void shrinkOpaqueRows(int[] sums, int w, int yStart, int yEnd, int factor, int[] dst, int o,
            int ow) {
        for (int ox = 0; ox < ow; ox++) {
            int xStart = ox * factor;
            int xEnd = Math.min(w, xStart + factor);
            long b = 0;
            long g = 0;
            long r = 0;
            for (int j = xStart * 3; j < xEnd * 3; j += 3) {
                b += sums[j];
                g += sums[j + 1];
                r += sums[j + 2];
            }
            long n = (long) (yEnd - yStart) * (xEnd - xStart);
            dst[o + ox] = 0xFF000000 | mean(r, n) << 16 | mean(g, n) << 8 | mean(b, n);
        }
    }

    private static void shrinkTranslucentRows(byte[] src, int w, int yStart, int yEnd, int factor, int[] sums,
            int[] dst, int o, int ow) {
        Arrays.fill(sums, 0);
        for (int y = yStart; y < yEnd; y++) {
            int base = y * w * 4;
            for (int j = 0; j < w * 4; j += 4) {
                int a = src[base + j] & 0xFF;
                sums[j] += a;
                sums[j + 1] += (src[base + j + 1] & 0xFF) * a;
                sums[j + 2] += (src[base + j + 2] & 0xFF) * a;
                sums[j + 3] += (src[base + j + 3] & 0xFF) * a;
            }
        }
        for (int ox = 0; ox < ow; ox++) {
            int xStart = ox * factor;
            int xEnd = Math.min(w, xStart + factor);
            long a = 0;
            long b = 0;
            long g = 0;
            long r = 0;
            for (int j = xStart * 4; j < xEnd * 4; j += 4) {
                a += sums[j];
                b += sums[j + 1];
                g += sums[j + 2];
                r += sums[j + 3];
            }
            long n = (long) (yEnd - yStart) * (xEnd - xStart);
            // Premultiplied: the mean of colour × alpha / 255, never above the mean alpha.
            dst[o + ox] = mean(a, n) << 24 | mean(r, n * 255) << 16 | mean(g, n * 255) << 8 | mean(b, n * 255);
        }
    }

    /**
     * The sums of a band of rows, column by column (byte by byte), in one array reused from band to band. They add
     * eight bytes at a time, every other byte in 16-bit lanes of a long (SWAR), since JDK 17's JIT does not vectorise
     * the same loop over bytes into ints: an 8.0 MP photo's column sums took 12.1 ms, now 2.3, its box shrink 16.6 ms,
     * now 8.7 (docs/PERFORMANCE.md).
     */
    private static final class ColumnSums {
        private final int rowBytes;
        private final int[] sums;
        /** Whole words a row, added in lanes; none where a band is too tall for 16-bit lanes. */
        private final int words;
        private final long[] even;
        private final long[] odd;

        ColumnSums(int rowBytes, int bandRows) {
            this.rowBytes = rowBytes;
            this.sums = new int[rowBytes]; // at most bandRows × 255 each: bandRows < 2^23
            this.words = bandRows <= MAX_LANE_ROWS ? rowBytes >>> 3 : 0;
            this.even = new long[words];
            this.odd = new long[words];
        }

        int[] of(byte[] src, int yStart, int yEnd) {
            Arrays.fill(even, 0);
            Arrays.fill(odd, 0);
            for (int y = yStart; y < yEnd; y++) {
                int base = y * rowBytes;
                for (int k = 0; k < words; k++) {
                    long word = (long) WORDS.get(src, base + (k << 3));
                    even[k] += word & EVEN_BYTES;
                    odd[k] += word >>> 8 & EVEN_BYTES;
                }
            }
            for (int k = 0, j = 0; k < words; k++) {
                for (int shift = 0; shift < 64; shift += 16) {
                    sums[j++] = (int) (even[k] >>> shift) & 0xFFFF;
                    sums[j++] = (int) (odd[k] >>> shift) & 0xFFFF;
                }
            }
            // The bytes after the last whole word, or all of them in a band too tall for the lanes.
            int tail = words << 3;
            Arrays.fill(sums, tail, rowBytes, 0);
            for (int y = yStart; y < yEnd; y++) {
                int base = y * rowBytes;
                for (int j = tail; j < rowBytes; j++) {
                    sums[j] += src[base + j] & 0xFF;
                }
            }
            return sums;
        }
    }

    private static int mean(long sum, long count) {
        return count == 0 ? 0 : (int) ((sum + count / 2) / count);
    }
}
