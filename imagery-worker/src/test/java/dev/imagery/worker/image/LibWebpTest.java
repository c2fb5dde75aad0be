package dev.imagery.worker.image;

import static dev.imagery.worker.image.PlainJpegTest.assertSamePixels;
import static dev.imagery.worker.image.PlainJpegTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.imagery.test.corpus.Corpus;

/**
 * libwebp against the reference and against TwelveMonkeys' decoder, which ImageIO uses without it. The files in
 * {@code /webp} were made with ImageMagick 6.9 (its WebP delegate is libwebp 1.2.4) from a corpus photo, {@code
 * -strip -resize 160x100}: two lossless ({@code -define webp:lossless=true}; one with a grey gradient as its alpha,
 * so that one is a simple VP8L file and the other an extended VP8X one) and a lossy one ({@code -quality 80}),
 * with ImageMagick's decode of it as a PNG.
 */
class LibWebpTest {

    private static final long LIMIT = 100_000_000;
    private static final double MEAN_DIFFERENCE = 4.0;

    @BeforeAll
    static void needsLibwebp() {
        assumeTrue(LibWebp.available(), "libwebp is not installed (Debian: apt-get install libwebp7)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lossless_160x100.webp", "lossless_alpha_160x100.webp"})
    void decodesLosslessWebpsToExactlyTheSamePixelsAsImageIo(String name) throws Exception {
        byte[] webp = resource(name);
        BufferedImage fast = decode(webp);
        assertThat(fast).as("decoded by libwebp").isNotNull();
        BufferedImage imageIo = ImageIO.read(new ByteArrayInputStream(webp));
        assertThat(fast.getColorModel().hasAlpha()).isEqualTo(name.contains("alpha"))
                .isEqualTo(imageIo.getColorModel().hasAlpha());
        assertSamePixels(fast, imageIo);
    }

    @Test
    void decodesALossyWebpToExactlyTheReferenceDecodersPixels() throws Exception {
        BufferedImage fast = decode(resource("lossy_160x100.webp"));
        assertThat(fast).isNotNull();
        assertThat(fast.getColorModel().hasAlpha()).isFalse();
        byte[] reference = resource("lossy_160x100_decoded_by_libwebp.png");
        assertSamePixels(fast, ImageIO.read(new ByteArrayInputStream(reference)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"edge/webp_lossy_4.webp", "edge/webp_lossy_alpha_5_webp_a.webp"})
    void decodesLossyWebpsAsImageIoDoesUpToTheirChromaUpsampling(String name) throws Exception {
        byte[] webp = Files.readAllBytes(Corpus.path(name));
        BufferedImage fast = decode(webp);
        assertThat(fast).as("decoded by libwebp").isNotNull();
        BufferedImage imageIo = StandardImage.of(ImageIO.read(new ByteArrayInputStream(webp)), StandardImage::create);
        assertThat(fast.getWidth()).isEqualTo(imageIo.getWidth());
        assertThat(fast.getHeight()).isEqualTo(imageIo.getHeight());
        assertThat(fast.getColorModel().hasAlpha()).isEqualTo(imageIo.getColorModel().hasAlpha());
        byte[] ours = bytes(fast);
        byte[] theirs = bytes(imageIo);
        long sum = 0;
        for (int i = 0; i < ours.length; i++) {
            sum += Math.abs((ours[i] & 0xFF) - (theirs[i] & 0xFF));
        }
        // TwelveMonkeys turns the same samples into colours its own way (2.7 and 3.3 apart on average on these two,
        // where a swap of red and blue is tens); libwebp's are the reference's, as the test above shows.
        assertThat((double) sum / ours.length).as("mean difference per sample").isLessThan(MEAN_DIFFERENCE);
        if (fast.getColorModel().hasAlpha()) {
            for (int i = 0; i < ours.length; i += 4) {
                assertThat(ours[i]).as("alpha of pixel %d", i / 4).isEqualTo(theirs[i]);
            }
        }
    }

    @Test
    void convertsAMatrixProfileToSrgbAsColourManagementDoesAndKeepsSrgbAsItIs() throws Exception {
        byte[] webp = resource("lossless_160x100.webp");
        BufferedImage untagged = decode(webp);
        byte[] srgb = bytes(decode(withIccp(webp, 160, 100, ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData())));
        assertThat(srgb).isEqualTo(bytes(untagged));

        byte[] converted = bytes(decode(withIccp(webp, 160, 100, RgbProfileTest.adobeRgb().getData())));
        byte[] managed = RgbProfileTest.managed(bytes(untagged), 160, 100, RgbProfileTest.adobeRgb());
        assertThat(TurboJpegTest.worstDifference(converted, managed)).isLessThanOrEqualTo(1);
        assertThat(TurboJpegTest.worstDifference(converted, bytes(untagged))).as("the colours changed")
                .isGreaterThan(10);
    }

    @Test
    void leavesAnimatedWebpsAndOtherProfilesToImageIo() throws Exception {
        byte[] webp = Files.readAllBytes(Corpus.path("edge/webp_lossy_alpha_5_webp_a.webp"));
        for (int flag : new int[] {0x02, 0x20}) { // animation; a profile, but no ICCP chunk
            byte[] flagged = webp.clone();
            flagged[20] |= (byte) flag;
            assertThat(decode(flagged)).as("flag %x", flag).isNull();
        }
        byte[] grey = ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData();
        assertThat(decode(withIccp(resource("lossless_160x100.webp"), 160, 100, grey))).as("a grey profile").isNull();
    }

    @Test
    void refusesADecompressionBombFromItsHeaderAlone() {
        // A lossless header claiming 16384 × 16384 pixels (268 MP) and no image data.
        int sizes = 16383 | 16383 << 14;
        byte[] bomb = ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN)
                .put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(32)
                .put("WEBPVP8L".getBytes(StandardCharsets.US_ASCII)).putInt(20)
                .put((byte) 0x2F).putInt(sizes).array();
        assertThatThrownBy(() -> decode(bomb))
                .isInstanceOf(UnprocessableImageException.class).hasMessageContaining("too large");
    }

    private static BufferedImage decode(byte[] webp) throws IOException, UnprocessableImageException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(webp))) {
            return LibWebp.decode(in, (width, height) -> ImageDecoder.checkSize(width, height, LIMIT));
        }
    }

    /**
     * A simple WebP (one image chunk after its RIFF header) as the extended format tags it with a profile: a VP8X
     * chunk with the ICC flag and the canvas size, the ICCP chunk, then the image chunk.
     */
    private static byte[] withIccp(byte[] simple, int width, int height, byte[] profile) {
        int padded = profile.length + (profile.length & 1);
        int size = 4 + 18 + 8 + padded + simple.length - 12;
        ByteBuffer b = ByteBuffer.allocate(8 + size).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(size).put("WEBP".getBytes(StandardCharsets.US_ASCII));
        b.put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).put((byte) 0x20).put(new byte[3]);
        b.put(threeBytes(width - 1)).put(threeBytes(height - 1));
        b.put("ICCP".getBytes(StandardCharsets.US_ASCII)).putInt(profile.length).put(profile)
                .put(new byte[padded - profile.length]);
        b.put(simple, 12, simple.length - 12);
        return b.array();
    }

    private static byte[] threeBytes(int value) {
        return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16)};
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = LibWebpTest.class.getResourceAsStream("/webp/" + name)) {
            return in.readAllBytes();
        }
    }
}
