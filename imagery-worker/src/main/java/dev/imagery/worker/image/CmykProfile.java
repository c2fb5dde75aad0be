package dev.imagery.worker.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A CMYK ICC profile (a print profile: U.S. Web Coated SWOP, FOGRA...) as a table from inks to sRGB, for the CMYK
 * JPEGs that {@link TurboJpeg} decodes and the CMYK TIFFs that {@link PlainTiff} does. Java's colour management took
 * 0.9 s to convert a 4.1 MP photo's inks, three times what sharp takes for the whole job; looked up here, 84 ms on
 * one core, and the whole sepia job on that photo as a JPEG took 1000 ms through ImageIO, 155 through here
 * (docs/PERFORMANCE.md).
 *
 * <p>The table holds Java's own conversion at every 15th level of cyan, magenta and yellow, for each of the 256
 * levels of black (4.5 MB); other inks are interpolated between the four nearest entries (tetrahedral
 * interpolation, as colour management systems do between their own table's entries). Java converts as
 * TwelveMonkeys has it convert, so the colours are ImageIO's within the table's precision: 99.6 % of a 4.1 MP
 * photo's samples within one level of ImageIO's, none more than 8 apart, and of the corpus's CMYK JPEG 99.8 %, none
 * more than 14 ({@code CmykProfileTest}, {@code TurboJpegTest}). Building the table takes about 0.35 s, so the last
 * few profiles' tables are kept: photos for print mostly carry one of a handful.
 */
final class CmykProfile {

    private static final int STEP = 15;
    /** Table entries along each of cyan, magenta and yellow: levels 0, 15, ..., 255. */
    private static final int POINTS = 255 / STEP + 1;
    private static final int CYAN_STRIDE = POINTS * POINTS * 3;
    private static final int MAGENTA_STRIDE = POINTS * 3;
    private static final int YELLOW_STRIDE = 3;
    private static final int CACHED = 4;
    private static final Map<ByteBuffer, CmykProfile> RECENT = Collections.synchronizedMap(
            new LinkedHashMap<>(CACHED, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<ByteBuffer, CmykProfile> eldest) {
                    return size() > CACHED;
                }
            });

    /** For each level of black: the BGR of every table entry, cyan slowest, yellow fastest. */
    private final byte[][] byBlack;

    private CmykProfile(byte[][] byBlack) {
        this.byBlack = byBlack;
    }

    /**
     * The table for a TIFF's ICC profile, or null when it is not a CMYK profile Java can use. TwelveMonkeys' TIFF
     * reader hands the inks to Java's colour management with the profile as it is.
     */
    static CmykProfile of(byte[] icc) {
        return cached(icc.clone());
    }

    /**
     * The table for a JPEG's ICC profile: TwelveMonkeys' JPEG reader sets a printer profile's class to display
     * before it converts, which changes Java's rendering of it (by up to 45 levels for U.S. Web Coated SWOP), so
     * the table is made from the profile changed the same way and the pixels are ImageIO's.
     */
    static CmykProfile ofJpeg(byte[] icc) {
        byte[] display = icc.clone();
        if (display.length > 16) {
            display[12] = 'm';
            display[13] = 'n';
            display[14] = 't';
            display[15] = 'r';
        }
        return cached(display);
    }

    /** The table for this profile, which the caller hands over: it becomes the cache's key, never to change. */
    private static CmykProfile cached(byte[] profile) {
        ByteBuffer key = ByteBuffer.wrap(profile);
        CmykProfile known = RECENT.get(key);
        if (known != null) {
            return known;
        }
        ICC_Profile parsed;
        try {
            parsed = ICC_Profile.getInstance(profile);
        } catch (IllegalArgumentException notAProfile) {
            return null;
        }
        if (parsed.getColorSpaceType() != ColorSpace.TYPE_CMYK || parsed.getNumComponents() != 4) {
            return null;
        }
        CmykProfile table;
        try {
            table = new CmykProfile(table(new ICC_ColorSpace(parsed)));
        } catch (RuntimeException unusable) {
            return null; // a profile the colour management system cannot apply (its CMMException and the like)
        }
        RECENT.put(key, table);
        return table;
    }

    /** Java's conversion of every table entry, in one call. */
    private static byte[][] table(ColorSpace cmyk) {
        int entries = POINTS * POINTS * POINTS;
        WritableRaster inks = new ComponentColorModel(cmyk, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE)
                .createCompatibleWritableRaster(entries, 256);
        byte[] in = ((DataBufferByte) inks.getDataBuffer()).getData();
        for (int k = 0, i = 0; k < 256; k++) {
            for (int c = 0; c < POINTS; c++) {
                for (int m = 0; m < POINTS; m++) {
                    for (int y = 0; y < POINTS; y++, i += 4) {
                        in[i] = (byte) (c * STEP);
                        in[i + 1] = (byte) (m * STEP);
                        in[i + 2] = (byte) (y * STEP);
                        in[i + 3] = (byte) k;
                    }
                }
            }
        }
        WritableRaster bgr = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, entries, 256, entries * 3, 3,
                new int[] {2, 1, 0}, null);
        new ColorConvertOp(cmyk, ColorSpace.getInstance(ColorSpace.CS_sRGB), null).filter(inks, bgr);
        byte[] out = ((DataBufferByte) bgr.getDataBuffer()).getData();
        byte[][] byBlack = new byte[256][];
        for (int k = 0; k < 256; k++) {
            byBlack[k] = Arrays.copyOfRange(out, k * entries * 3, (k + 1) * entries * 3);
        }
        return byBlack;
    }

    /**
     * The image's inks, four bytes a pixel in {@code pixels}, converted to sRGB in place, on all cores: each pixel's
     * B, G and R are written over the last three of its four bytes, then moved down to the standard layout
     * ({@link StandardImage#withoutAlpha}), which a converted pixel could not be in place in parallel.
     *
     * @param adobe inverted C, M, Y, K, as Adobe's JPEGs store them (255 for no ink); else K, Y, M, C as ink amounts
     *     (255 for full ink), as {@link SampleRows} stores a TIFF pixel's four samples
     */
    BufferedImage toSrgb(byte[] pixels, int width, int height, boolean adobe) {
        int cyan = adobe ? 0 : 3;
        int magenta = adobe ? 1 : 2;
        int yellow = adobe ? 2 : 1;
        int black = adobe ? 3 : 0;
        int flip = adobe ? 0xFF : 0; // 255 - v, as v ^ 255
        PixelBands.run(width * height, true, (from, to) -> {
            for (int i = from * 4; i < to * 4; i += 4) {
                interpolate(byBlack[(pixels[i + black] & 0xFF) ^ flip], (pixels[i + cyan] & 0xFF) ^ flip,
                        (pixels[i + magenta] & 0xFF) ^ flip, (pixels[i + yellow] & 0xFF) ^ flip, pixels, i + 1);
            }
        });
        return StandardImage.withoutAlpha(pixels, width, height);
    }

    /**
     * The colour of inks (c, m, y) from the four entries of the tetrahedron around them: the cube's corner below,
     * the corner above, and the two between them along the axes in the order of the inks' distances from the
     * corner below. Six branches, one for each order: sorting the distances without branches (max, min and the
     * rest) gave the same bytes but took 104 ms for 4.1 MP against 84, as neighbouring pixels mostly take the
     * same branch.
     */
    private static void interpolate(byte[] table, int c, int m, int y, byte[] out, int o) {
        int ci = Math.min(c / STEP, POINTS - 2);
        int mi = Math.min(m / STEP, POINTS - 2);
        int yi = Math.min(y / STEP, POINTS - 2);
        int dc = c - ci * STEP;
        int dm = m - mi * STEP;
        int dy = y - yi * STEP;
        int first;
        int second;
        int w1;
        int w2;
        int w3;
        if (dc >= dm && dm >= dy) {
            first = CYAN_STRIDE;
            second = CYAN_STRIDE + MAGENTA_STRIDE;
            w1 = dc - dm;
            w2 = dm - dy;
            w3 = dy;
        } else if (dc >= dy && dy >= dm) {
            first = CYAN_STRIDE;
            second = CYAN_STRIDE + YELLOW_STRIDE;
            w1 = dc - dy;
            w2 = dy - dm;
            w3 = dm;
        } else if (dy >= dc && dc >= dm) {
            first = YELLOW_STRIDE;
            second = YELLOW_STRIDE + CYAN_STRIDE;
            w1 = dy - dc;
            w2 = dc - dm;
            w3 = dm;
        } else if (dm >= dc && dc >= dy) {
            first = MAGENTA_STRIDE;
            second = MAGENTA_STRIDE + CYAN_STRIDE;
            w1 = dm - dc;
            w2 = dc - dy;
            w3 = dy;
        } else if (dm >= dy && dy >= dc) {
            first = MAGENTA_STRIDE;
            second = MAGENTA_STRIDE + YELLOW_STRIDE;
            w1 = dm - dy;
            w2 = dy - dc;
            w3 = dc;
        } else {
            first = YELLOW_STRIDE;
            second = YELLOW_STRIDE + MAGENTA_STRIDE;
            w1 = dy - dm;
            w2 = dm - dc;
            w3 = dc;
        }
        int w0 = STEP - w1 - w2 - w3;
        int base = ci * CYAN_STRIDE + mi * MAGENTA_STRIDE + yi * YELLOW_STRIDE;
        int top = base + CYAN_STRIDE + MAGENTA_STRIDE + YELLOW_STRIDE;
        for (int ch = 0; ch < 3; ch++) {
            int sum = w0 * (table[base + ch] & 0xFF) + w1 * (table[base + first + ch] & 0xFF)
                    + w2 * (table[base + second + ch] & 0xFF) + w3 * (table[top + ch] & 0xFF);
            out[o + ch] = (byte) ((sum + STEP / 2) / STEP);
        }
    }
}
