package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

class RgbProfileTest {

    private static final Path INSTALLED_PROFILES = Path.of("/usr/share/color");

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
    void convertsEveryRgbProfileInstalledHereLikeTheColourManagementSystem() throws IOException {
        // Published profiles, as photos carry them: ghostscript's, and those of Debian's icc-profiles-free,
        // colord-data and argyll-ref, which .ci/run installs: 49 RGB ones, ICC v2 and v4, with every kind of curve.
        List<Path> files;
        try (Stream<Path> tree = Files.walk(INSTALLED_PROFILES)) {
            files = tree.filter(file -> file.toString().matches(".*\\.ic[cm]")).sorted().toList();
        } catch (NoSuchFileException none) {
            files = List.of();
        }
        int checked = 0;
        for (Path file : files) {
            byte[] icc = Files.readAllBytes(file);
            ICC_Profile profile = ICC_Profile.getInstance(icc);
            RgbProfile parsed = RgbProfile.parse(icc);
            if (profile.getColorSpaceType() != ColorSpace.TYPE_RGB || parsed == null) {
                continue;
            }
            byte[] bgr = everyFourthColour();
            byte[] expected = managed(bgr, 64 * 64, 64, profile);
            if (!parsed.isSrgb()) {
                parsed.toSrgb(bgr, 3, 0, bgr.length / 3);
            }
            boolean tables = profile.getData(ICC_Profile.icSigAToB0Tag) != null;
            assertThat(TurboJpegTest.worstDifference(bgr, expected)).as("%s", file).isLessThanOrEqualTo(tables ? 3 : 1);
            checked++;
        }
        assumeTrue(checked > 0, "no RGB profiles under " + INSTALLED_PROFILES);
    }

    @Test
    void convertsAProfileMadeOfLookupTablesLikeTheColourManagementSystem() {
        // Interpolated between the table's entries in linear light: none more than two steps from the colour
        // management system's, 99.89 % within one.
        byte[] bgr = everyFourthColour();
        byte[] expected = managed(bgr, 64 * 64, 64, adobeRgbAsTables());
        RgbProfile profile = RgbProfile.parse(adobeRgbAsTables().getData());
        assertThat(profile.isSrgb()).isFalse();
        profile.toSrgb(bgr, 3, 0, bgr.length / 3);

        assertThat(TurboJpegTest.worstDifference(bgr, expected)).isLessThanOrEqualTo(2);
        assertThat(TurboJpegTest.shareWithinOneStep(bgr, expected)).isGreaterThan(0.998);
    }

    @Test
    void keepsTheTableOfAProfileItHasSeen() {
        byte[] icc = adobeRgbAsTables().getData();
        assertThat(RgbProfile.parse(icc)).isNotNull().isSameAs(RgbProfile.parse(icc.clone()));
    }

    @Test
    void takesNoTablesThatCannotConvertColoursBackAsImageIoIgnoresThem() {
        // Only A2B0 (to the colour space that connects profiles), nothing the other way: TwelveMonkeys' readers
        // test that a profile converts colours both ways, and ignore one that does not.
        assertThat(RgbProfile.parse(profileOf(adobeRgbAsTables(), ICC_Profile.icSigAToB0Tag,
                ICC_Profile.icSigMediaWhitePointTag))).isNull();
    }

    @Test
    void takesNoGreyAndNoDataThatIsNoProfile() {
        assertThat(RgbProfile.parse(ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData())).isNull();
        assertThat(RgbProfile.parse(new byte[0])).isNull();
        assertThat(RgbProfile.parse("ICC_PROFILE".repeat(20).getBytes())).isNull();
    }

    /** Every 4th value of each channel (262 144 colours): the same as the JDK's ColorConvertOp within one step. */
    private static void assertConvertsLikeTheColourManagementSystem(ICC_Profile profile) {
        byte[] bgr = everyFourthColour();
        byte[] expected = managed(bgr, 64 * 64, 64, profile);
        RgbProfile.parse(profile.getData()).toSrgb(bgr, 3, 0, bgr.length / 3);

        int worst = 0;
        for (int i = 0; i < bgr.length; i++) {
            worst = Math.max(worst, Math.abs((bgr[i] & 0xFF) - (expected[i] & 0xFF)));
        }
        assertThat(worst).as("largest difference from ColorConvertOp, in 8-bit steps").isLessThanOrEqualTo(1);
    }

    /** 64 × 64 × 64 BGR pixels: every 4th level of each channel, off the table's levels. */
    private static byte[] everyFourthColour() {
        byte[] bgr = new byte[64 * 64 * 64 * 3];
        for (int i = 0, p = 0; p < 64 * 64 * 64; p++, i += 3) {
            bgr[i + 2] = (byte) ((p >> 12) * 4 + 3);
            bgr[i + 1] = (byte) (((p >> 6) & 63) * 4 + 3);
            bgr[i] = (byte) ((p & 63) * 4);
        }
        return bgr;
    }

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

    /** sRGB's curve in ICC v4 form: ((x + 0.055) / 1.055)^2.4 above 0.04045, x / 12.92 below. */
    private static final byte[] SRGB_CURVE = ByteBuffer.allocate(32).putInt(0x70617261).putInt(0)
            .putShort((short) 3).putShort((short) 0).putInt(fixed(2.4)).putInt(fixed(1 / 1.055))
            .putInt(fixed(0.055 / 1.055)).putInt(fixed(1 / 12.92)).putInt(fixed(0.04045)).array();

    /** A modifiable copy of the JDK's sRGB profile. */
    private static ICC_Profile srgb() {
        return ICC_Profile.getInstance(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData());
    }

    /** Adobe RGB (1998): its primaries adapted to D50, gamma 563/256. */
    static ICC_Profile adobeRgb() {
        return withColorants(withCurves(srgb(), gamma(ADOBE_RGB_GAMMA)), ADOBE_RGB_COLORANTS[0],
                ADOBE_RGB_COLORANTS[1], ADOBE_RGB_COLORANTS[2]);
    }

    /** Adobe RGB (1998)'s red, green and blue in XYZ, adapted to D50. */
    private static final double[][] ADOBE_RGB_COLORANTS = {
            {0.6097, 0.3111, 0.0195}, {0.2053, 0.6257, 0.0609}, {0.1492, 0.0632, 0.7446}};
    private static final double ADOBE_RGB_GAMMA = 563 / 256.0;

    /**
     * Adobe RGB (1998) as a scanner's or printer's profile has it: a table from RGB to XYZ (A2B0, ICC's lut16Type,
     * 17 levels a channel), which the colour management system uses instead of the matrix it also has.
     */
    static ICC_Profile adobeRgbAsTables() {
        ICC_Profile profile = adobeRgb();
        int points = 17;
        ByteBuffer lut = ByteBuffer.allocate(52 + 2 * 3 * 2 + points * points * points * 3 * 2 + 2 * 3 * 2);
        lut.putInt(0x6D667432).putInt(0).put((byte) 3).put((byte) 3).put((byte) points).put((byte) 0);
        for (int i = 0; i < 9; i++) {
            lut.putInt(i % 4 == 0 ? fixed(1) : 0); // identity (used only for XYZ input)
        }
        lut.putShort((short) 2).putShort((short) 2);
        for (int c = 0; c < 3; c++) {
            lut.putShort((short) 0).putShort((short) 0xFFFF); // straight input curves
        }
        for (int r = 0; r < points; r++) {
            for (int g = 0; g < points; g++) {
                for (int b = 0; b < points; b++) {
                    double[] linear = {Math.pow(r / (points - 1.0), ADOBE_RGB_GAMMA),
                            Math.pow(g / (points - 1.0), ADOBE_RGB_GAMMA), Math.pow(b / (points - 1.0), ADOBE_RGB_GAMMA)};
                    for (int xyz = 0; xyz < 3; xyz++) {
                        double value = 0;
                        for (int c = 0; c < 3; c++) {
                            value += ADOBE_RGB_COLORANTS[c][xyz] * linear[c];
                        }
                        lut.putShort((short) Math.min(0xFFFF, Math.round(value * 0x8000))); // XYZ as u1.15
                    }
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            lut.putShort((short) 0).putShort((short) 0xFFFF); // straight output curves
        }
        profile.setData(ICC_Profile.icSigAToB0Tag, lut.array());
        return profile;
    }

    /** A profile with {@code source}'s header and only the tags given. */
    private static byte[] profileOf(ICC_Profile source, int... tags) {
        byte[][] data = new byte[tags.length][];
        int size = 128 + 4 + 12 * tags.length;
        for (int t = 0; t < tags.length; t++) {
            data[t] = source.getData(tags[t]);
            size += (data[t].length + 3) & ~3;
        }
        ByteBuffer profile = ByteBuffer.allocate(size).put(source.getData(ICC_Profile.icSigHead));
        profile.putInt(0, size).putInt(tags.length);
        for (int t = 0, offset = 128 + 4 + 12 * tags.length; t < tags.length; offset += (data[t].length + 3) & ~3, t++) {
            profile.putInt(tags[t]).putInt(offset).putInt(data[t].length);
        }
        for (byte[] tag : data) {
            profile.put(tag).position((profile.position() + 3) & ~3);
        }
        return profile.array();
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
