package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class SrgbProfileTest {

    @Test
    void recognisesTheJdksSrgbProfile() {
        assertThat(SrgbProfile.matches(srgb().getData())).isTrue();
    }

    @Test
    void recognisesSrgbWrittenAsAParametricCurve() {
        // ICC v4 style: y = ((x + 0.055) / 1.055)^2.4 above 0.04045, x / 12.92 below.
        ICC_Profile profile = withCurves(srgb(), parametric(2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045));
        assertThat(SrgbProfile.matches(profile.getData())).isTrue();
    }

    @Test
    void rejectsOtherPrimaries() {
        ICC_Profile profile = srgb();
        // Adobe RGB (1998)'s red, adapted to D50.
        profile.setData(ICC_Profile.icSigRedColorantTag, xyz(0.6097, 0.3111, 0.0195));
        assertThat(SrgbProfile.matches(profile.getData())).isFalse();
    }

    @Test
    void rejectsAPlainGammaCurve() {
        // sRGB's primaries with gamma 2.2: close, but up to several steps apart in the shadows.
        ICC_Profile profile = withCurves(srgb(), gamma(2.2));
        assertThat(SrgbProfile.matches(profile.getData())).isFalse();
    }

    @Test
    void rejectsLinearRgbGreyAndProfilesWithLookupTables() {
        assertThat(SrgbProfile.matches(ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData())).isFalse();
        assertThat(SrgbProfile.matches(ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData())).isFalse();
        ICC_Profile withTable = srgb();
        withTable.setData(ICC_Profile.icSigAToB0Tag, ICC_Profile.getInstance(ColorSpace.CS_PYCC)
                .getData(ICC_Profile.icSigAToB0Tag));
        assertThat(SrgbProfile.matches(withTable.getData())).isFalse();
    }

    @Test
    void rejectsDataThatIsNoProfile() {
        assertThat(SrgbProfile.matches(new byte[0])).isFalse();
        assertThat(SrgbProfile.matches("ICC_PROFILE".repeat(20).getBytes())).isFalse();
    }

    /** A modifiable copy of the JDK's sRGB profile. */
    private static ICC_Profile srgb() {
        return ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
    }

    private static ICC_Profile withCurves(ICC_Profile profile, byte[] curve) {
        profile.setData(ICC_Profile.icSigRedTRCTag, curve);
        profile.setData(ICC_Profile.icSigGreenTRCTag, curve);
        profile.setData(ICC_Profile.icSigBlueTRCTag, curve);
        return profile;
    }

    private static byte[] xyz(double x, double y, double z) {
        return ByteBuffer.allocate(20).putInt(0x58595A20).putInt(0)
                .putInt(fixed(x)).putInt(fixed(y)).putInt(fixed(z)).array();
    }

    private static byte[] gamma(double gamma) {
        return ByteBuffer.allocate(14).putInt(0x63757276).putInt(0).putInt(1)
                .putShort((short) Math.round(gamma * 256)).array();
    }

    private static byte[] parametric(double g, double a, double b, double c, double d) {
        return ByteBuffer.allocate(32).putInt(0x70617261).putInt(0).putShort((short) 3).putShort((short) 0)
                .putInt(fixed(g)).putInt(fixed(a)).putInt(fixed(b)).putInt(fixed(c)).putInt(fixed(d)).array();
    }

    private static int fixed(double value) {
        return (int) Math.round(value * 65536);
    }
}
