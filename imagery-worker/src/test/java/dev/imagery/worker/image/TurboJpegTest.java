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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.spi.IIORegistry;

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

    /** The reader the worker takes for JPEGs that are not plain: TwelveMonkeys', which applies the profile. */
    private static BufferedImage twelveMonkeys(Path file) throws IOException {
        return read(file, IIORegistry.getDefaultInstance()
                .getServiceProviderByClass(JPEGImageReaderSpi.class).createReaderInstance());
    }

    /** The largest difference of two images' samples, in 8-bit steps. */
    /** The share of samples of {@code a} at most one step from {@code b}'s. */
    static double shareWithinOneStep(byte[] a, byte[] b) {
        long within = 0;
        for (int i = 0; i < a.length; i++) {
            within += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)) <= 1 ? 1 : 0;
        }
        return (double) within / a.length;
    }

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
