package dev.imagery.worker.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.ColorConvertOp;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferFloat;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * An RGB ICC profile made of lookup tables (A2B0 and its kind, as scanners', printers' and some editors' profiles
 * are) as one table from its pixels to sRGB, for {@link RgbProfile}. ImageIO hands such a profile to Java's colour
 * management, which evaluates the profile's pipeline for every pixel: 1.7 s for an 8.0 MP photo, four times what
 * sharp takes for the whole job (docs/PERFORMANCE.md).
 *
 * <p>The table holds Java's own conversion at every 5th level of red, green and blue (52³ entries, 1.1 MB), in
 * linear sRGB and not clipped to its gamut; the colours between are interpolated between the four nearest entries
 * ({@link Tetrahedron}), then clipped and encoded with sRGB's curve, as a conversion to sRGB ends. Interpolating in
 * linear light matters: near black and at the gamut's edge the encoded values bend sharply, and interpolating them
 * put some colours 14 levels from Java's, where now no colour of Adobe RGB made of tables is more than 2 away and
 * 99.99 % of ProPhoto RGB's are within one level (all 16.8 million colours, docs/PERFORMANCE.md; {@code
 * RgbProfileTest} checks a profile of its own). Making the table takes 40–60 ms, so {@link RgbProfile} keeps
 * the last four profiles it has parsed.
 */
final class RgbTable {

    private static final int STEP = 5;
    /** Table entries along each of red, green and blue: levels 0, 5, ..., 255. */
    private static final int POINTS = Tetrahedron.points(STEP);
    /** Bits of each of an entry's three lanes in a long. */
    private static final int LANE = 21;
    private static final long LANE_MASK = (1L << LANE) - 1;
    /**
     * Added to each linear value so that its lane holds no negative number: values from -4 (in units of full
     * light) up to what five weighted corners keep within a lane, about 21.6, far beyond any colour a profile gives.
     */
    private static final int BIAS = 4 * RgbProfile.OUT_STEPS;
    private static final int HIGHEST = (int) (LANE_MASK / STEP) - BIAS;

    /**
     * For every entry, red slowest, blue fastest: linear red, green and blue, scaled to {@link RgbProfile#OUT_STEPS},
     * each plus {@link #BIAS}, in the 21-bit lanes of one long (red lowest), so that one multiply-add a corner weighs
     * all three.
     */
    private final long[] linear;

    private RgbTable(long[] linear) {
        this.linear = linear;
    }

    /**
     * The table for an RGB profile Java's colour management can apply, or null. As TwelveMonkeys' readers do, a
     * profile that cannot convert sRGB's colours back (no B2A table) is taken as unusable: they ignore it.
     */
    static RgbTable of(ICC_Profile rgb) {
        try {
            ICC_ColorSpace profile = new ICC_ColorSpace(rgb);
            profile.fromRGB(new float[] {0.999f, 0.5f, 0.001f}); // TwelveMonkeys' check
            return new RgbTable(table(profile));
        } catch (RuntimeException unusable) {
            return null; // not a profile, or one the colour management system cannot apply
        }
    }

    /** Java's conversion of every entry to XYZ, in one call, and from there to linear sRGB, unclipped. */
    private static long[] table(ColorSpace profile) {
        int entries = POINTS * POINTS * POINTS;
        byte[] rgb = new byte[entries * 3];
        for (int r = 0, i = 0; r < POINTS; r++) {
            for (int g = 0; g < POINTS; g++) {
                for (int b = 0; b < POINTS; b++, i += 3) {
                    rgb[i] = (byte) (r * STEP);
                    rgb[i + 1] = (byte) (g * STEP);
                    rgb[i + 2] = (byte) (b * STEP);
                }
            }
        }
        int[] bands = {0, 1, 2};
        WritableRaster in = Raster.createInterleavedRaster(new DataBufferByte(rgb, rgb.length), entries, 1,
                entries * 3, 3, bands, null);
        WritableRaster xyz = Raster.createWritableRaster(
                new PixelInterleavedSampleModel(DataBuffer.TYPE_FLOAT, entries, 1, 3, entries * 3, bands), null);
        new ColorConvertOp(profile, ColorSpace.getInstance(ColorSpace.CS_CIEXYZ), null).filter(in, xyz);
        float[] x = ((DataBufferFloat) xyz.getDataBuffer()).getData();
        double[][] toSrgb = RgbProfile.XYZ_TO_SRGB;
        long[] linear = new long[entries];
        for (int e = 0, i = 0; e < entries; e++, i += 3) {
            for (int c = 0; c < 3; c++) {
                double value = toSrgb[c][0] * x[i] + toSrgb[c][1] * x[i + 1] + toSrgb[c][2] * x[i + 2];
                long scaled = Math.max(-BIAS, Math.min(HIGHEST, Math.round(value * RgbProfile.OUT_STEPS)));
                linear[e] |= scaled + BIAS << LANE * c;
            }
        }
        return linear;
    }

    /** Pixels [from, to) of interleaved BGR or ABGR bytes, in place; alpha stays as it is. */
    void toSrgb(byte[] bgr, int bands, int from, int to) {
        Tetrahedron corners = new Tetrahedron(STEP);
        long[] table = linear;
        for (int i = from * bands + (bands == 4 ? 1 : 0), end = to * bands; i < end; i += bands) {
            corners.locate(bgr[i + 2] & 0xFF, bgr[i + 1] & 0xFF, bgr[i] & 0xFF);
            long sums = corners.w0 * table[corners.base] + corners.w1 * table[corners.first]
                    + corners.w2 * table[corners.second] + corners.w3 * table[corners.top];
            // Red, green, blue into R, G, B's places. A sum below zero (outside the gamut) clips to black
            // whichever way it rounds.
            bgr[i + 2] = RgbProfile.encoded(unbiased(sums));
            bgr[i + 1] = RgbProfile.encoded(unbiased(sums >>> LANE));
            bgr[i] = RgbProfile.encoded(unbiased(sums >>> 2 * LANE));
        }
    }

    /** The lowest lane's weighted sum over the step, rounded, without the bias. */
    private static int unbiased(long lanes) {
        return ((int) (lanes & LANE_MASK) + STEP / 2) / STEP - BIAS;
    }
}
