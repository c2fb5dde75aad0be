package dev.imagery.worker.image;

import static dev.imagery.worker.image.PlainJpegTest.assertSamePixels;
import static dev.imagery.worker.image.PlainJpegTest.bytes;
import static dev.imagery.worker.image.PlainJpegTest.imageIo;
import static dev.imagery.worker.image.PlainJpegTest.qualify;
import static dev.imagery.worker.image.PlainJpegTest.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.stream.ImageOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;

import dev.imagery.test.corpus.Corpus;

class TurboJpegTest {

    @BeforeAll
    static void libjpegTurboInstalled() {
        // .ci/run installs it (Debian's libturbojpeg0); without it the worker falls back to the JDK's decoder.
        assumeTrue(TurboJpeg.available(), "libturbojpeg is not installed (apt-get install libturbojpeg0)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"photos/medium_4.1MP_LadyBird.jpg", "photos/large_8.0MP_iphone_hdr_NO.jpg",
            "photos/medium_6.1MP_flickr_2569067123.jpg", "photos/small_1.3MP_GreenMeadow_progressive.jpg",
            "edge/progressive_tablets_3.jpg", "edge/exif_orient6_canon.jpg"})
    void decodesPlainJpegsToExactlyTheJdksPixels(String name) throws IOException {
        Path file = Corpus.path(name);
        PlainJpeg.Header header = qualify(file);
        assertThat(header).as("a plain JPEG").isNotNull();
        assertSamePixels(turbo(Files.readAllBytes(file), header), imageIo(file));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void decodesGreyJpegsToExactlyTheJdksPixels(boolean progressive, @TempDir Path dir) throws IOException {
        // Grey copied to blue, green and red, as StandardImage copies the JDK's grey.
        Path file = Files.write(dir.resolve("grey.jpg"), PlainJpegTest.greyJpeg(progressive));
        PlainJpeg.Header header = qualify(file);
        assertThat(header.grey()).isTrue();
        assertSamePixels(turbo(Files.readAllBytes(file), header), imageIo(file));
    }

    @Test
    void decodesAGreyJpegWithAGreyProfileToImageIosPixels() throws IOException {
        // ImageIO's path keeps a grey profile's samples as they are (StandardImage), and so does this one.
        Path file = Corpus.edge("grayscale_concert.jpg");
        PlainJpeg.Header header = qualify(file);
        assertThat(header).as("grey with a grey profile").isNotNull();
        assertSamePixels(turbo(Files.readAllBytes(file), header), twelveMonkeys(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"photos/medium_4.1MP_Path.jpg", "photos/small_0.9MP_hubble_deep_field.jpg"})
    void decodesSrgbTaggedJpegsToTheColourManagedPixelsWithinOneStep(String name) throws IOException {
        Path file = Corpus.path(name);
        PlainJpeg.Header header = qualify(file);
        assertThat(header).as("a plain JPEG with an sRGB profile").isNotNull();
        assertThat(header.profile()).as("sRGB already: nothing to convert").isNull();
        byte[] fast = bytes(turbo(Files.readAllBytes(file), header));
        byte[] managed = bytes(StandardImage.of(twelveMonkeys(file), StandardImage::create));
        assertThat(worstDifference(fast, managed)).isLessThanOrEqualTo(1);
    }

    @Test
    void decodesAJpegTaggedAdobeRgbToTheColourManagedPixelsWithinOneStep(@TempDir Path dir) throws IOException {
        Decoded ladyBird = decodeLadyBirdTagged(dir, RgbProfileTest.adobeRgb());
        assertThat(worstDifference(ladyBird.fast(), ladyBird.imageIo())).isLessThanOrEqualTo(1);
    }

    @Test
    void decodesAJpegWhoseProfileIsMadeOfTablesToImageIosColoursWithinTheTablesPrecision(@TempDir Path dir)
            throws IOException {
        // Through ImageIO, Java's colour management evaluates such a profile for every pixel, slowly. Interpolated
        // between the table's entries (RgbTable): 27 of 12.3 million samples 3 steps away, 99.8 % within one.
        Decoded ladyBird = decodeLadyBirdTagged(dir, RgbProfileTest.adobeRgbAsTables());
        assertThat(worstDifference(ladyBird.fast(), ladyBird.imageIo())).isLessThanOrEqualTo(3);
        assertThat(shareWithinOneStep(ladyBird.fast(), ladyBird.imageIo())).isGreaterThan(0.995);
    }

    /** The BGR bytes of the same JPEG decoded here and by ImageIO. */
    private record Decoded(byte[] fast, byte[] imageIo) {
    }

    /**
     * The LadyBird photo's own data tagged with {@code profile} (so the same bytes now mean other colours), decoded
     * here, which must take the profile and change the colours, and by ImageIO.
     */
    private static Decoded decodeLadyBirdTagged(Path dir, ICC_Profile profile) throws IOException {
        byte[] photo = Files.readAllBytes(Corpus.photo("medium_4.1MP_LadyBird.jpg"));
        Path file = Files.write(dir.resolve("tagged.jpg"), withProfile(photo, profile.getData()));
        PlainJpeg.Header header = qualify(file);
        assertThat(header).as("a plain JPEG with a profile Java's colour management can apply").isNotNull();
        byte[] fast = bytes(header.inSrgb(turbo(Files.readAllBytes(file), header)));
        byte[] untagged = bytes(turbo(photo, qualify(Corpus.photo("medium_4.1MP_LadyBird.jpg"))));
        assertThat(worstDifference(fast, untagged)).as("the conversion changed the colours").isGreaterThan(10);
        return new Decoded(fast, bytes(StandardImage.of(twelveMonkeys(file), StandardImage::create)));
    }

    @Test
    void decodesACmykJpegThroughItsProfileToImageIosColoursWithinTheTablesPrecision() throws IOException {
        // Adobe's YCCK with U.S. Web Coated (SWOP) v2, as print workflows save photos.
        Path file = Corpus.edge("cmyk_with_profile.jpg");
        PlainJpeg.Header header = qualify(file);
        assertThat(header).as("a CMYK JPEG with a CMYK profile").isNotNull();
        assertThat(header.cmyk()).isNotNull();
        byte[] managed = bytes(StandardImage.of(twelveMonkeys(file), StandardImage::create));
        // The BGR image lies over the array the inks were decoded into: its first three quarters.
        byte[] fast = Arrays.copyOf(bytes(turbo(Files.readAllBytes(file), header)), managed.length);
        // Interpolated between the table's entries: a handful of samples (in the darkest, most saturated inks) are
        // up to 14 steps from Java's conversion of their own inks, nearly all within one.
        assertThat(worstDifference(fast, managed)).isLessThanOrEqualTo(16);
        assertThat(shareWithinOneStep(fast, managed)).as("share of samples within one step").isGreaterThan(0.99);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void decodesCmykJpegsWithoutAProfileToExactlyImageIosPixels(boolean ycck, @TempDir Path dir) throws IOException {
        // Without a profile TwelveMonkeys converts the inks naively, and so does CmykProfile.NONE, byte for byte.
        byte[] jpeg = ycck ? withoutIccSegments(Files.readAllBytes(Corpus.edge("cmyk_with_profile.jpg")))
                : adobeCmykJpeg();
        Path file = Files.write(dir.resolve("untagged.jpg"), jpeg);
        PlainJpeg.Header header = qualify(file);
        assertThat(header.cmyk()).isSameAs(CmykProfile.NONE);
        byte[] imageIo = bytes(StandardImage.of(twelveMonkeys(file), StandardImage::create));
        // The BGR image lies over the array the inks were decoded into: its first three quarters.
        byte[] fast = Arrays.copyOf(bytes(turbo(jpeg, header)), imageIo.length);
        assertThat(worstDifference(fast, imageIo)).isZero();
    }

    /**
     * The LadyBird photo as inks (black under the three colours' common part), stored inverted with Adobe's marker
     * saying CMYK (transform 0), as the JDK writes four components and Adobe stores them.
     */
    private static byte[] adobeCmykJpeg() throws IOException {
        BufferedImage photo = ImageIO.read(Corpus.photo("medium_4.1MP_LadyBird.jpg").toFile());
        WritableRaster inks = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, photo.getWidth(), photo.getHeight(),
                4, null);
        for (int y = 0; y < photo.getHeight(); y++) {
            for (int x = 0; x < photo.getWidth(); x++) {
                int rgb = photo.getRGB(x, y);
                int r = rgb >> 16 & 0xFF;
                int g = rgb >> 8 & 0xFF;
                int b = rgb & 0xFF;
                int black = 255 - Math.max(r, Math.max(g, b));
                // Inverted: 255 - ink. Cyan, magenta and yellow above the black.
                inks.setPixel(x, y, new int[] {r + black, g + black, b + black, 255 - black});
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            writer.setOutput(stream);
            writer.write(new IIOImage(inks, null, null));
            writer.dispose();
        }
        byte[] jpeg = out.toByteArray();
        byte[] adobe = {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        return ByteBuffer.allocate(jpeg.length + 4 + adobe.length).put(jpeg, 0, 2).put((byte) 0xFF)
                .put((byte) 0xEE).putShort((short) (2 + adobe.length)).put(adobe).put(jpeg, 2, jpeg.length - 2)
                .array();
    }

    @Test
    void declinesCorruptDataSoThatImageIoDecidesAboutIt() throws IOException {
        Path file = Corpus.edge("corrupt_data_10MP.jpg");
        PlainJpeg.Header header = qualify(file);
        assertThat(header).as("a plain JPEG by its headers").isNotNull();
        assertThat(turbo(Files.readAllBytes(file), header)).isNull();
    }

    @Test
    void declinesAFileCutShort() throws IOException {
        Path file = Corpus.photo("large_8.0MP_iphone_hdr_NO.jpg");
        byte[] whole = Files.readAllBytes(file);
        PlainJpeg.Header header = qualify(file);
        assertThat(turbo(Arrays.copyOf(whole, whole.length / 2), header)).isNull();
    }

    /** The JPEG without its APP2 segments, where ICC profiles are. */
    private static byte[] withoutIccSegments(byte[] jpeg) {
        ByteBuffer in = ByteBuffer.wrap(jpeg, 2, jpeg.length - 2);
        ByteBuffer out = ByteBuffer.allocate(jpeg.length).put(jpeg, 0, 2);
        while ((in.getShort(in.position()) & 0xFFFF) != 0xFFDA) {
            int marker = in.getShort(in.position()) & 0xFFFF;
            int length = 2 + (in.getShort(in.position() + 2) & 0xFFFF);
            if (marker != 0xFFE2) {
                out.put(jpeg, in.position(), length);
            }
            in.position(in.position() + length);
        }
        out.put(in);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** The reader the worker takes for JPEGs that are not plain: TwelveMonkeys', which applies the profile. */
    private static BufferedImage twelveMonkeys(Path file) throws IOException {
        return read(file, IIORegistry.getDefaultInstance()
                .getServiceProviderByClass(JPEGImageReaderSpi.class).createReaderInstance());
    }

    /** The share of samples of {@code a} at most one step from {@code b}'s. */
    static double shareWithinOneStep(byte[] a, byte[] b) {
        long within = 0;
        for (int i = 0; i < a.length; i++) {
            within += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)) <= 1 ? 1 : 0;
        }
        return (double) within / a.length;
    }

    /** The largest difference of two images' samples, in 8-bit steps. */
    static int worstDifference(byte[] a, byte[] b) {
        assertThat(a).hasSameSizeAs(b);
        int worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        }
        return worst;
    }

    /** The JPEG with an ICC profile in one APP2 segment right after its SOI marker. */
    private static byte[] withProfile(byte[] jpeg, byte[] profile) {
        byte[] name = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
        int length = 2 + name.length + 2 + profile.length;
        return ByteBuffer.allocate(jpeg.length + 2 + length).put(jpeg, 0, 2)
                .put((byte) 0xFF).put((byte) 0xE2).putShort((short) length).put(name).put((byte) 1).put((byte) 1)
                .put(profile).put(jpeg, 2, jpeg.length - 2).array();
    }

    /** libjpeg-turbo's pixels in a new image. */
    private static BufferedImage turbo(byte[] jpeg, PlainJpeg.Header header) {
        return TurboJpeg.decode(jpeg, header, StandardImage::create);
    }
}
