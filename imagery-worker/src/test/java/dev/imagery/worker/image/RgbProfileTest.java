package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;

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

import org.junit.jupiter.api.Test;

class RgbProfileTest {

    @Test
    void recognisesTheJdksSrgbProfileAsSrgb() {
        assertThat(RgbProfile.parse(srgb().getData()).isSrgb()).isTrue();
    }

    @Test
    void recognisesSrgbWrittenAsAParametricCurve() {
        assertThat(RgbProfile.parse(withCurves(srgb(), SRGB_CURVE).getData()).isSrgb()).isTrue();
    }

    @Test
    void otherPrimariesOrAPlainGammaCurveAreNotSrgb() {
        assertThat(RgbProfile.parse(adobeRgb().getData()).isSrgb()).isFalse();
        // sRGB's primaries with gamma 2.2: close, but several steps apart in the shadows.
        assertThat(RgbProfile.parse(withCurves(srgb(), gamma(2.2)).getData()).isSrgb()).isFalse();
    }

    @Test
    void convertsAdobeRgbToSrgbLikeTheColourManagementSystem() {
        assertConvertsLikeTheColourManagementSystem(adobeRgb());
    }

    @Test
    void convertsDisplayP3ToSrgbLikeTheColourManagementSystem() {
        // Display P3 as phones tag their photos: P3's primaries (adapted to D50) and sRGB's curve.
        ICC_Profile p3 = withColorants(withCurves(srgb(), SRGB_CURVE),
                new double[] {0.5151, 0.2412, -0.0011}, new double[] {0.2919, 0.6922, 0.0419},
                new double[] {0.1571, 0.0666, 0.7841});
        assertConvertsLikeTheColourManagementSystem(p3);
    }

    @Test
    void convertsLinearRgbLikeTheColourManagementSystem() {
        assertConvertsLikeTheColourManagementSystem(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB));
    }

    @Test
    void takesNoGreyNoLookupTablesAndNoDataThatIsNoProfile() {
        assertThat(RgbProfile.parse(ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData())).isNull();
        ICC_Profile withTable = srgb();
        withTable.setData(ICC_Profile.icSigAToB0Tag,
                ICC_Profile.getInstance(ColorSpace.CS_PYCC).getData(ICC_Profile.icSigAToB0Tag));
        assertThat(RgbProfile.parse(withTable.getData())).isNull();
        assertThat(RgbProfile.parse(new byte[0])).isNull();
        assertThat(RgbProfile.parse("ICC_PROFILE".repeat(20).getBytes())).isNull();
    }

    /** Every 4th value of each channel (262 144 colours): the same as the JDK's ColorConvertOp within one step. */
    private static void assertConvertsLikeTheColourManagementSystem(ICC_Profile profile) {
        byte[] bgr = new byte[64 * 64 * 64 * 3];
        for (int i = 0, p = 0; p < 64 * 64 * 64; p++, i += 3) {
            bgr[i + 2] = (byte) ((p >> 12) * 4 + 3);
            bgr[i + 1] = (byte) (((p >> 6) & 63) * 4 + 3);
            bgr[i] = (byte) ((p & 63) * 4);
        }
        byte[] expected = managed(bgr, 64 * 64, 64, profile);
        RgbProfile.parse(profile.getData()).toSrgb(bgr, 3, 0, bgr.length / 3);

        int worst = 0;
        for (int i = 0; i < bgr.length; i++) {
            worst = Math.max(worst, Math.abs((bgr[i] & 0xFF) - (expected[i] & 0xFF)));
        }
        assertThat(worst).as("largest difference from ColorConvertOp, in 8-bit steps").isLessThanOrEqualTo(1);
    }

    /** sRGB's curve in ICC v4 form: ((x + 0.055) / 1.055)^2.4 above 0.04045, x / 12.92 below. */
    /** What the JDK's colour management makes of BGR pixels in {@code profile}: BGR pixels in sRGB. */
    static byte[] managed(byte[] bgr, int width, int height, ICC_Profile profile) {
        WritableRaster raster = Raster.createInterleavedRaster(new DataBufferByte(bgr.clone(), bgr.length),
                width, height, width * 3, 3, new int[] {2, 1, 0}, null);
        ComponentColorModel model = new ComponentColorModel(new ICC_ColorSpace(profile), false, false,
                Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        BufferedImage managed = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        new ColorConvertOp(null).filter(new BufferedImage(model, raster, false, null), managed);
        return ((DataBufferByte) managed.getRaster().getDataBuffer()).getData();
    }

    private static final byte[] SRGB_CURVE = ByteBuffer.allocate(32).putInt(0x70617261).putInt(0)
            .putShort((short) 3).putShort((short) 0).putInt(fixed(2.4)).putInt(fixed(1 / 1.055))
            .putInt(fixed(0.055 / 1.055)).putInt(fixed(1 / 12.92)).putInt(fixed(0.04045)).array();

    /** A modifiable copy of the JDK's sRGB profile. */
    private static ICC_Profile srgb() {
        return ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
    }

    /** Adobe RGB (1998): its primaries adapted to D50, gamma 563/256. */
    static ICC_Profile adobeRgb() {
        return withColorants(withCurves(srgb(), gamma(2.2)), new double[] {0.6097, 0.3111, 0.0195},
                new double[] {0.2053, 0.6257, 0.0609}, new double[] {0.1492, 0.0632, 0.7446});
    }

    private static ICC_Profile withCurves(ICC_Profile profile, byte[] curve) {
        profile.setData(ICC_Profile.icSigRedTRCTag, curve);
        profile.setData(ICC_Profile.icSigGreenTRCTag, curve);
        profile.setData(ICC_Profile.icSigBlueTRCTag, curve);
        return profile;
    }

    private static ICC_Profile withColorants(ICC_Profile profile, double[] red, double[] green, double[] blue) {
        profile.setData(ICC_Profile.icSigRedColorantTag, xyz(red));
        profile.setData(ICC_Profile.icSigGreenColorantTag, xyz(green));
        profile.setData(ICC_Profile.icSigBlueColorantTag, xyz(blue));
        return profile;
    }

    private static byte[] xyz(double[] xyz) {
        return ByteBuffer.allocate(20).putInt(0x58595A20).putInt(0)
                .putInt(fixed(xyz[0])).putInt(fixed(xyz[1])).putInt(fixed(xyz[2])).array();
    }

    private static byte[] gamma(double gamma) {
        return ByteBuffer.allocate(14).putInt(0x63757276).putInt(0).putInt(1)
                .putShort((short) Math.round(gamma * 256)).array();
    }

    private static int fixed(double value) {
        return (int) Math.round(value * 65536);
    }
}
