package dev.imagery.test.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.imagery.test.corpus.Corpus;

class SepiaAssertionsTest {

    private static final BufferedImage PHOTO = Corpus.read(Corpus.photo("small_0.3MP_chelsea.png"));

    @Test
    void theMatrix() {
        assertThat(SepiaAssertions.sepia(0x000000)).isEqualTo(0x000000);
        assertThat(SepiaAssertions.sepia(0xffffff)).isEqualTo(0xffffef); // 255, 255, 239 (.937 * 255)
        assertThat(SepiaAssertions.sepia(0x646464)).isEqualTo(0x87785e); // 100 -> 135, 120, 94 (rounded)
    }

    @Test
    void acceptsTheSepiaOfThePhotoAfterAPngRoundTrip() throws IOException {
        byte[] png = png(map(PHOTO, 0));
        assertThatCode(() -> SepiaAssertions.assertSepiaPngOf(PHOTO, png)).doesNotThrowAnyException();
        assertThatCode(() -> SepiaAssertions.assertSepiaTones(SepiaAssertions.decodePng(png))).doesNotThrowAnyException();
    }

    @Test
    void toleratesOneLevelButNotTwo() {
        assertThatCode(() -> SepiaAssertions.assertSepiaOf(PHOTO, map(PHOTO, -1))).doesNotThrowAnyException();
        assertThatThrownBy(() -> SepiaAssertions.assertSepiaOf(PHOTO, map(PHOTO, -2)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("not sepia within ±1");
        assertThatCode(() -> SepiaAssertions.assertSepiaOf(PHOTO, map(PHOTO, -2), 2)).doesNotThrowAnyException();
    }

    @Test
    void rejectsTheUnprocessedPhotoAndWrongSizes() {
        assertThatThrownBy(() -> SepiaAssertions.assertSepiaOf(PHOTO, PHOTO)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> SepiaAssertions.assertSepiaTones(PHOTO)).isInstanceOf(AssertionError.class);
        BufferedImage smaller = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        assertThatThrownBy(() -> SepiaAssertions.assertSepiaOf(PHOTO, smaller)).hasMessageContaining("Size differs");
    }

    @Test
    void rejectsBytesThatAreNoPng() throws IOException {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(PHOTO, "jpeg", jpeg);
        assertThatThrownBy(() -> SepiaAssertions.decodePng(jpeg.toByteArray())).hasMessageContaining("Not a PNG");
    }

    @Test
    void ignoresTransparentPixels() {
        BufferedImage original = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        original.setRGB(0, 0, 0xff646464);
        original.setRGB(1, 0, 0x00ffffff);
        BufferedImage processed = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        processed.setRGB(0, 0, 0xff87785e);
        processed.setRGB(1, 0, 0x00123456);
        assertThatCode(() -> SepiaAssertions.assertSepiaOf(original, processed)).doesNotThrowAnyException();
    }

    /** The sepia of every pixel, each channel shifted by {@code delta} (clamped). */
    private static BufferedImage map(BufferedImage source, int delta) {
        BufferedImage out = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < source.getHeight(); y++) {
            for (int x = 0; x < source.getWidth(); x++) {
                int s = SepiaAssertions.sepia(source.getRGB(x, y));
                int r = Math.max(0, ((s >> 16) & 0xff) + delta);
                int g = Math.max(0, ((s >> 8) & 0xff) + delta);
                int b = Math.max(0, (s & 0xff) + delta);
                out.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return out;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
