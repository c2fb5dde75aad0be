package dev.imagery.worker.image;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.nio.ByteBuffer;

/**
 * Whether an embedded ICC profile describes sRGB, so that converting its pixels to sRGB would leave every one
 * as it is. Photos from image editors and many cameras carry a copy of the standard sRGB profile; without this
 * check such a JPEG went through ImageIO and the colour management system (the 4.1 MP photo: 80 ms to decode
 * instead of 15) only to come out unchanged.
 *
 * <p>A profile counts as sRGB when it is an RGB matrix/TRC profile whose three colorants are sRGB's (within
 * 0.002, what the published copies differ by) and whose tone curves each map every 8-bit value back to itself
 * within half a step. A profile with lookup tables (A2B0 and its kind) does not: the colour management system
 * would use the tables, not the matrix.
 */
final class SrgbProfile {

    /** IEC 61966-2-1's primaries, adapted to D50 as every ICC profile stores them (XYZ of red, green, blue). */
    private static final double[][] COLORANTS = {
            {0.4361, 0.2225, 0.0139}, {0.3851, 0.7169, 0.0971}, {0.1431, 0.0606, 0.7141}};
    private static final int[] COLORANT_TAGS = {
            ICC_Profile.icSigRedColorantTag, ICC_Profile.icSigGreenColorantTag, ICC_Profile.icSigBlueColorantTag};
    private static final int[] CURVE_TAGS = {
            ICC_Profile.icSigRedTRCTag, ICC_Profile.icSigGreenTRCTag, ICC_Profile.icSigBlueTRCTag};
    private static final int[] TABLE_TAGS = {ICC_Profile.icSigAToB0Tag, ICC_Profile.icSigAToB1Tag,
            ICC_Profile.icSigAToB2Tag};
    private static final double COLORANT_TOLERANCE = 0.002;
    private static final double STEP_TOLERANCE = 0.5;
    private static final int CURV = 0x63757276;
    private static final int PARA = 0x70617261;
    private static final int XYZ = 0x58595A20;

    private SrgbProfile() {
    }

    /** False for anything else, including data that is not a valid profile. */
    static boolean matches(byte[] icc) {
        ICC_Profile profile;
        try {
            profile = ICC_Profile.getInstance(icc);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (profile.getColorSpaceType() != ColorSpace.TYPE_RGB || profile.getPCSType() != ColorSpace.TYPE_XYZ) {
            return false;
        }
        for (int tag : TABLE_TAGS) {
            if (profile.getData(tag) != null) {
                return false;
            }
        }
        for (int c = 0; c < 3; c++) {
            if (!isColorant(profile.getData(COLORANT_TAGS[c]), COLORANTS[c])
                    || !isSrgbCurve(profile.getData(CURVE_TAGS[c]))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isColorant(byte[] tag, double[] expected) {
        if (tag == null || tag.length < 20 || ByteBuffer.wrap(tag).getInt(0) != XYZ) {
            return false;
        }
        ByteBuffer xyz = ByteBuffer.wrap(tag);
        for (int i = 0; i < 3; i++) {
            if (Math.abs(xyz.getInt(8 + 4 * i) / 65536.0 - expected[i]) > COLORANT_TOLERANCE) {
                return false;
            }
        }
        return true;
    }

    /** Every 8-bit value, through the curve to linear light and back through sRGB's own curve, lands on itself. */
    private static boolean isSrgbCurve(byte[] tag) {
        if (tag == null || tag.length < 12) {
            return false;
        }
        for (int v = 0; v <= 255; v++) {
            double linear = linear(tag, v / 255.0);
            if (Double.isNaN(linear) || Math.abs(srgbEncoded(linear) * 255 - v) > STEP_TOLERANCE) {
                return false;
            }
        }
        return true;
    }

    /** The tone curve at x in [0, 1] ('curv' or 'para', ICC.1:2010 10.5 and 10.18); NaN if it cannot be read. */
    private static double linear(byte[] tag, double x) {
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
            double bb = p[2];
            double c = p[3];
            double d = p[4];
            return switch (function) {
                case 0 -> Math.pow(x, g);
                case 1 -> x >= -bb / a ? Math.pow(a * x + bb, g) : 0;
                case 2 -> x >= -bb / a ? Math.pow(a * x + bb, g) + c : c;
                case 3 -> x >= d ? Math.pow(a * x + bb, g) : c * x;
                default -> x >= d ? Math.pow(a * x + bb, g) + p[5] : c * x + p[6];
            };
        }
        return Double.NaN;
    }

    private static double srgbEncoded(double linear) {
        double y = Math.max(0, Math.min(1, linear));
        return y <= 0.0031308 ? 12.92 * y : 1.055 * Math.pow(y, 1 / 2.4) - 0.055;
    }
}
