package dev.imagery.worker.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.nio.ByteBuffer;

/**
 * An embedded ICC profile of the kind nearly every photo carries: RGB, three colorants and three tone curves
 * (sRGB, Display P3 from phones, Adobe RGB, ProPhoto), and the conversion of its pixels to sRGB without the
 * colour management system. Through ImageIO such a JPEG cost about four times the decode (the 8.0 MP photo
 * tagged Adobe RGB: 171 ms against 41); here the decode stays libjpeg-turbo's and the conversion is a table
 * lookup and a 3×3 matrix a pixel.
 *
 * <p>The conversion is the ICC's for two matrix/TRC profiles: each value through its tone curve to linear light,
 * the source's colorants to XYZ and sRGB's back, clipped to sRGB's gamut, and through sRGB's curve again (what
 * the colour management system does for these profiles, within one step: {@code RgbProfileTest}). A profile that
 * already is sRGB (colorants within 0.002, what published copies differ by, and curves that land every 8-bit
 * value on itself) needs no conversion at all. A profile with lookup tables (A2B0 and its kind), which the colour
 * management system applies instead of any matrix, converts through {@link RgbTable}.
 */
final class RgbProfile {

    private static final int[] COLORANT_TAGS = {
            ICC_Profile.icSigRedColorantTag, ICC_Profile.icSigGreenColorantTag, ICC_Profile.icSigBlueColorantTag};
    private static final int[] CURVE_TAGS = {
            ICC_Profile.icSigRedTRCTag, ICC_Profile.icSigGreenTRCTag, ICC_Profile.icSigBlueTRCTag};
    private static final int[] TABLE_TAGS = {
            ICC_Profile.icSigAToB0Tag, ICC_Profile.icSigAToB1Tag, ICC_Profile.icSigAToB2Tag};
    private static final double COLORANT_TOLERANCE = 0.002;
    private static final double STEP_TOLERANCE = 0.5;
    private static final int CURV = 0x63757276;
    private static final int PARA = 0x70617261;
    private static final int XYZ = 0x58595A20;
    /** Linear light in 2^14 steps on the way out: near black one step is a fifth of an 8-bit sRGB step. */
    private static final RecentProfiles<RgbProfile> RECENT = new RecentProfiles<>(4);
    static final int OUT_STEPS = 1 << 14;
    private static final byte[] SRGB_ENCODED = new byte[OUT_STEPS + 1];
    /**
     * sRGB's primaries in XYZ (red, green, blue), adapted to D50 as ICC profiles store them: the JDK's own sRGB
     * profile's, which is where its colour management converts to.
     */
    private static final double[][] SRGB_COLORANTS = new double[3][];
    /** XYZ to linear sRGB: the inverse of the matrix whose columns are sRGB's colorants. */
    static final double[][] XYZ_TO_SRGB;

    static {
        for (int i = 0; i <= OUT_STEPS; i++) {
            SRGB_ENCODED[i] = (byte) Math.round(srgbEncoded((double) i / OUT_STEPS) * 255);
        }
        ICC_Profile srgb = ICC_Profile.getInstance(ColorSpace.CS_sRGB);
        for (int c = 0; c < 3; c++) {
            SRGB_COLORANTS[c] = colorant(srgb.getData(COLORANT_TAGS[c]));
        }
        XYZ_TO_SRGB = inverse(columns(SRGB_COLORANTS));
    }

    private final boolean srgb;
    /** Per channel (red, green, blue), each 8-bit value in linear light, scaled to OUT_STEPS. */
    private final float[][] linear;
    /** Linear source RGB to linear sRGB. */
    private final float[] matrix;
    /** For a profile made of lookup tables: the conversion, instead of the curves and the matrix. */
    private final RgbTable table;

    private RgbProfile(RgbTable table) {
        this.srgb = false;
        this.linear = null;
        this.matrix = null;
        this.table = table;
    }

    private RgbProfile(double[][] colorants, double[][] curves, boolean srgb) {
        this.srgb = srgb;
        this.linear = new float[3][256];
        this.matrix = new float[9];
        this.table = null;
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                linear[c][v] = (float) (curves[c][v] * OUT_STEPS);
            }
        }
        double[][] toSrgb = multiply(XYZ_TO_SRGB, columns(colorants));
        for (int i = 0; i < 9; i++) {
            matrix[i] = (float) toSrgb[i / 3][i % 3];
        }
    }

    /**
     * The profile, or null when it is not an RGB profile (or not a valid profile at all) or one made of lookup
     * tables that Java's colour management cannot apply ({@link RgbTable#of}). The last four profiles are kept
     * ({@link RecentProfiles}): photos mostly carry one of a handful, and a table's takes 40–60 ms to make.
     */
    static RgbProfile parse(byte[] icc) {
        return RECENT.get(icc, RgbProfile::make);
    }

    private static RgbProfile make(byte[] icc) {
        ICC_Profile profile;
        try {
            profile = ICC_Profile.getInstance(icc);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (profile.getColorSpaceType() != ColorSpace.TYPE_RGB) {
            return null;
        }
        if (profile.getPCSType() != ColorSpace.TYPE_XYZ || hasTables(profile)) {
            RgbTable table = RgbTable.of(profile);
            return table == null ? null : new RgbProfile(table);
        }
        double[][] colorants = new double[3][];
        double[][] curves = new double[3][256];
        boolean srgb = true;
        for (int c = 0; c < 3; c++) {
            colorants[c] = colorant(profile.getData(COLORANT_TAGS[c]));
            byte[] curve = profile.getData(CURVE_TAGS[c]);
            if (colorants[c] == null || curve == null || curve.length < 12) {
                return null;
            }
            for (int v = 0; v < 256; v++) {
                double y = curve(curve, v / 255.0);
                if (Double.isNaN(y)) {
                    return null;
                }
                curves[c][v] = Math.max(0, Math.min(1, y));
                srgb &= Math.abs(srgbEncoded(curves[c][v]) * 255 - v) <= STEP_TOLERANCE;
            }
            for (int i = 0; i < 3; i++) {
                srgb &= Math.abs(colorants[c][i] - SRGB_COLORANTS[c][i]) <= COLORANT_TOLERANCE;
            }
        }
        return new RgbProfile(colorants, curves, srgb);
    }

    /** The colour management system uses a profile's tables where it has them, not its matrix. */
    private static boolean hasTables(ICC_Profile profile) {
        for (int tag : TABLE_TAGS) {
            if (profile.getData(tag) != null) {
                return true;
            }
        }
        return false;
    }

    /** True when converting to sRGB would leave every pixel as it is. */
    boolean isSrgb() {
        return srgb;
    }

    /** A {@link StandardImage}'s pixels, in place, from this profile to sRGB, on all cores. */
    void toSrgb(BufferedImage image) {
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int bands = image.getRaster().getNumBands();
        PixelBands.run(image.getWidth() * image.getHeight(), true, (from, to) -> toSrgb(pixels, bands, from, to));
    }

    /** Pixels [from, to) of interleaved BGR or ABGR bytes, in place; alpha (not premultiplied) stays as it is. */
    void toSrgb(byte[] bgr, int bands, int from, int to) {
        if (table != null) {
            table.toSrgb(bgr, bands, from, to);
            return;
        }
        float[] r = linear[0];
        float[] g = linear[1];
        float[] b = linear[2];
        float[] m = matrix;
        for (int i = from * bands + (bands == 4 ? 1 : 0), end = to * bands; i < end; i += bands) {
            float lb = b[bgr[i] & 0xFF];
            float lg = g[bgr[i + 1] & 0xFF];
            float lr = r[bgr[i + 2] & 0xFF];
            bgr[i] = encoded(m[6] * lr + m[7] * lg + m[8] * lb);
            bgr[i + 1] = encoded(m[3] * lr + m[4] * lg + m[5] * lb);
            bgr[i + 2] = encoded(m[0] * lr + m[1] * lg + m[2] * lb);
        }
    }

    private static byte encoded(float linear) {
        return encoded((int) (linear + 0.5f));
    }

    /** Linear light scaled to OUT_STEPS, encoded with sRGB's curve. */
    static byte encoded(int linear) {
        // Clipping to [0, 1] is the gamut mapping: what lies outside sRGB goes to its nearest edge.
        return SRGB_ENCODED[Math.max(0, Math.min(OUT_STEPS, linear))];
    }

    private static double[] colorant(byte[] tag) {
        if (tag == null || tag.length < 20 || ByteBuffer.wrap(tag).getInt(0) != XYZ) {
            return null;
        }
        ByteBuffer xyz = ByteBuffer.wrap(tag);
        return new double[] {xyz.getInt(8) / 65536.0, xyz.getInt(12) / 65536.0, xyz.getInt(16) / 65536.0};
    }

    /** The tone curve at x in [0, 1] ('curv' or 'para', ICC.1:2010 10.5 and 10.18); NaN if it cannot be read. */
    private static double curve(byte[] tag, double x) {
        ByteBuffer b = ByteBuffer.wrap(tag);
        int type = b.getInt(0);
        if (type == CURV) {
            long count = b.getInt(8) & 0xFFFFFFFFL;
            if (count == 0) {
                return x;
            }
            if (tag.length < 12 + 2 * count) {
                return Double.NaN;
            }
            if (count == 1) {
                return Math.pow(x, (b.getShort(12) & 0xFFFF) / 256.0);
            }
            double position = x * (count - 1);
            int i = (int) Math.min(count - 2, (long) position);
            double low = b.getShort(12 + 2 * i) & 0xFFFF;
            double high = b.getShort(14 + 2 * i) & 0xFFFF;
            return (low + (high - low) * (position - i)) / 65535.0;
        }
        if (type == PARA) {
            int function = b.getShort(8) & 0xFFFF;
            int[] counts = {1, 3, 4, 5, 7};
            if (function >= counts.length || tag.length < 12 + 4 * counts[function]) {
                return Double.NaN;
            }
            double[] p = new double[7];
            for (int i = 0; i < counts[function]; i++) {
                p[i] = b.getInt(12 + 4 * i) / 65536.0;
            }
            double g = p[0];
            double a = p[1];
            double offset = p[2];
            double c = p[3];
            double d = p[4];
            return switch (function) {
                case 0 -> Math.pow(x, g);
                case 1 -> x >= -offset / a ? Math.pow(a * x + offset, g) : 0;
                case 2 -> x >= -offset / a ? Math.pow(a * x + offset, g) + c : c;
                case 3 -> x >= d ? Math.pow(a * x + offset, g) : c * x;
                default -> x >= d ? Math.pow(a * x + offset, g) + p[5] : c * x + p[6];
            };
        }
        return Double.NaN;
    }

    private static double srgbEncoded(double linear) {
        double y = Math.max(0, Math.min(1, linear));
        return y <= 0.0031308 ? 12.92 * y : 1.055 * Math.pow(y, 1 / 2.4) - 0.055;
    }

    /** The colorants (red, green, blue XYZ) as the columns of the matrix from linear RGB to XYZ. */
    private static double[][] columns(double[][] colorants) {
        double[][] m = new double[3][3];
        for (int row = 0; row < 3; row++) {
            for (int column = 0; column < 3; column++) {
                m[row][column] = colorants[column][row];
            }
        }
        return m;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] product = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    product[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return product;
    }

    private static double[][] inverse(double[][] m) {
        double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
        double[][] inverse = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                // The cofactor of m[j][i], over the determinant.
                int r0 = (j + 1) % 3;
                int r1 = (j + 2) % 3;
                int c0 = (i + 1) % 3;
                int c1 = (i + 2) % 3;
                inverse[i][j] = (m[r0][c0] * m[r1][c1] - m[r0][c1] * m[r1][c0]) / det;
            }
        }
        return inverse;
    }
}
