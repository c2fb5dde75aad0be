package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.ColorConvertOp;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.imagery.test.corpus.Corpus;

class CmykProfileTest {

    @Test
    void givesJavasOwnColoursOnTheTablesLevelsAndCloseColoursBetweenThem() throws IOException {
        byte[] icc = swop();
        CmykProfile table = CmykProfile.of(displayClass(icc));
        assertThat(table).isNotNull();
        Random random = new Random(3);
        int count = 4000;
        byte[] inks = new byte[count * 4];
        for (int p = 0; p < count; p++) {
            boolean onTheTable = p < count / 2;
            for (int ink = 0; ink < 4; ink++) {
                int level = onTheTable && ink < 3 ? 15 * random.nextInt(18) : random.nextInt(256);
                inks[p * 4 + ink] = (byte) level;
            }
        }
        byte[] java = javasConversion(icc, inks, count);

        byte[] pixels = PlainJpegTest.bytes(table.toSrgb(inverted(inks), count, 1, true)); // as Adobe's JPEGs

        for (int p = 0; p < count; p++) {
            int worst = 0;
            for (int ch = 0; ch < 3; ch++) {
                worst = Math.max(worst, Math.abs((pixels[p * 3 + ch] & 0xFF) - (java[p * 3 + ch] & 0xFF)));
            }
            int[] ink = {inks[p * 4] & 0xFF, inks[p * 4 + 1] & 0xFF, inks[p * 4 + 2] & 0xFF, inks[p * 4 + 3] & 0xFF};
            assertThat(worst).as("inks %s", Arrays.toString(ink)).isLessThanOrEqualTo(p < count / 2 ? 0 : 8);
        }
    }

    @Test
    void keepsTheTableOfAProfileItHasSeen() throws IOException {
        assertThat(CmykProfile.of(swop())).isSameAs(CmykProfile.of(swop()));
    }

    @Test
    void takesNoProfileButACmykOne() {
        assertThat(CmykProfile.of(ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData())).isNull();
        assertThat(CmykProfile.of("not a profile".getBytes(StandardCharsets.US_ASCII))).isNull();
    }

    /** The profile as TwelveMonkeys' JPEG reader has Java use it: as a display profile. */
    private static byte[] displayClass(byte[] icc) {
        byte[] display = icc.clone();
        System.arraycopy("mntr".getBytes(StandardCharsets.US_ASCII), 0, display, 12, 4);
        return display;
    }

    /** Java's conversion of the inks, through the profile as TwelveMonkeys' JPEG reader uses it, to BGR. */
    private static byte[] javasConversion(byte[] icc, byte[] inks, int count) {
        ColorSpace cmyk = new ICC_ColorSpace(ICC_Profile.getInstance(displayClass(icc)));
        WritableRaster in = new ComponentColorModel(cmyk, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE)
                .createCompatibleWritableRaster(count, 1);
        System.arraycopy(inks, 0, ((DataBufferByte) in.getDataBuffer()).getData(), 0, inks.length);
        WritableRaster out = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, count, 1, count * 3, 3,
                new int[] {2, 1, 0}, null);
        new ColorConvertOp(cmyk, ColorSpace.getInstance(ColorSpace.CS_sRGB), null).filter(in, out);
        return ((DataBufferByte) out.getDataBuffer()).getData();
    }

    private static byte[] inverted(byte[] inks) {
        byte[] inverted = new byte[inks.length];
        for (int i = 0; i < inks.length; i++) {
            inverted[i] = (byte) (255 - (inks[i] & 0xFF));
        }
        return inverted;
    }

    /** U.S. Web Coated (SWOP) v2, from the corpus's CMYK JPEG: its ICC_PROFILE segments (APP2) joined. */
    static byte[] swop() throws IOException {
        ByteBuffer jpeg = ByteBuffer.wrap(Files.readAllBytes(Corpus.path("edge/cmyk_with_profile.jpg")));
        byte[] signature = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream profile = new ByteArrayOutputStream();
        jpeg.position(2);
        while (jpeg.remaining() > 4 && (jpeg.getShort(jpeg.position()) & 0xFFFF) != 0xFFDA) {
            int marker = jpeg.getShort() & 0xFFFF;
            int length = jpeg.getShort() & 0xFFFF;
            byte[] segment = new byte[length - 2];
            jpeg.get(segment);
            if (marker == 0xFFE2 && Arrays.equals(segment, 0, signature.length, signature, 0, signature.length)) {
                profile.write(segment, signature.length + 2, segment.length - signature.length - 2);
            }
        }
        return profile.toByteArray();
    }
}
