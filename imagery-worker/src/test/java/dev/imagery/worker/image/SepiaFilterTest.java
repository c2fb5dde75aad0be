package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.math.BigDecimal;
import java.math.RoundingMode;

import org.junit.jupiter.api.Test;

class SepiaFilterTest {

    @Test
    void computesTheMatrixRoundingHalfUp() {
        // R' = 39.3 + 115.35 + 37.8 = 192.45; G' = 34.9 + 102.9 + 33.6 = 171.4; B' = 27.2 + 80.1 + 26.2 = 133.5
        assertThat(rgbAfterSepia(100, 150, 200)).containsExactly(192, 171, 134);
        // R' = 3.93 + 15.38 + 5.67 = 24.98; G' = 22.25; B' = 17.33
        assertThat(rgbAfterSepia(10, 20, 30)).containsExactly(25, 22, 17);
        assertThat(rgbAfterSepia(0, 0, 0)).containsExactly(0, 0, 0);
    }

    @Test
    void clampsChannelsAbove255() {
        // White: R' = 344.5 and G' = 306.8 clamp to 255; B' = 238.9 does not.
        assertThat(rgbAfterSepia(255, 255, 255)).containsExactly(255, 255, 239);
        // Pure green: R' = 196.1, G' = 174.9, B' = 136.2.
        assertThat(rgbAfterSepia(0, 255, 0)).containsExactly(196, 175, 136);
    }

    @Test
    void agreesWithExactDecimalArithmeticOverTheWholeColourCube() {
        for (int r = 0; r < 256; r += 5) {
            for (int g = 0; g < 256; g += 5) {
                for (int b = 0; b < 256; b += 5) {
                    assertThat(SepiaFilter.red(r, g, b)).isEqualTo(exact("0.393", "0.769", "0.189", r, g, b));
                    assertThat(SepiaFilter.green(r, g, b)).isEqualTo(exact("0.349", "0.686", "0.168", r, g, b));
                    assertThat(SepiaFilter.blue(r, g, b)).isEqualTo(exact("0.272", "0.534", "0.131", r, g, b));
                }
            }
        }
    }

    @Test
    void filtersEveryColourAsTheMatrixDefinesIt() {
        // All 2^24 colours, 65 536 at a time: one red value per image, every green and blue beside it.
        for (int r = 0; r < 256; r++) {
            BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_3BYTE_BGR);
            byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int i = 0, p = 0; p < 65_536; p++, i += 3) {
                bgr[i] = (byte) p;
                bgr[i + 1] = (byte) (p >> 8);
                bgr[i + 2] = (byte) r;
            }

            SepiaFilter.apply(image);

            for (int i = 0, p = 0; p < 65_536; p++, i += 3) {
                int g = p >> 8 & 0xFF;
                int b = p & 0xFF;
                if ((bgr[i + 2] & 0xFF) != SepiaFilter.red(r, g, b) || (bgr[i + 1] & 0xFF) != SepiaFilter.green(r, g, b)
                        || (bgr[i] & 0xFF) != SepiaFilter.blue(r, g, b)) {
                    assertThat(new int[] {bgr[i + 2] & 0xFF, bgr[i + 1] & 0xFF, bgr[i] & 0xFF})
                            .as("sepia of (%d, %d, %d)", r, g, b)
                            .containsExactly(SepiaFilter.red(r, g, b), SepiaFilter.green(r, g, b),
                                    SepiaFilter.blue(r, g, b));
                }
            }
        }
    }

    @Test
    void keepsAlphaAndFiltersTheColourOfTranslucentPixels() {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_4BYTE_ABGR);
        image.getRaster().setPixel(0, 0, new int[] {100, 150, 200, 0});
        image.getRaster().setPixel(1, 0, new int[] {100, 150, 200, 77});
        image.getRaster().setPixel(2, 0, new int[] {255, 255, 255, 255});

        SepiaFilter.apply(image);

        assertThat(image.getRaster().getPixel(0, 0, (int[]) null)).containsExactly(192, 171, 134, 0);
        assertThat(image.getRaster().getPixel(1, 0, (int[]) null)).containsExactly(192, 171, 134, 77);
        assertThat(image.getRaster().getPixel(2, 0, (int[]) null)).containsExactly(255, 255, 239, 255);
    }

    @Test
    void filtersEveryPixelOfAnOpaqueImageInPlace() {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_3BYTE_BGR);
        byte[] before = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        image.getRaster().setPixel(0, 0, new int[] {100, 150, 200});
        image.getRaster().setPixel(1, 1, new int[] {10, 20, 30});

        SepiaFilter.apply(image);

        assertThat(((DataBufferByte) image.getRaster().getDataBuffer()).getData()).isSameAs(before);
        assertThat(image.getRaster().getPixel(0, 0, (int[]) null)).containsExactly(192, 171, 134);
        assertThat(image.getRaster().getPixel(1, 0, (int[]) null)).containsExactly(0, 0, 0);
        assertThat(image.getRaster().getPixel(1, 1, (int[]) null)).containsExactly(25, 22, 17);
    }

    @Test
    void refusesLayoutsItWasNotWrittenFor() {
        BufferedImage ints = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);

        assertThatThrownBy(() -> SepiaFilter.apply(ints)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int[] rgbAfterSepia(int r, int g, int b) {
        BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_3BYTE_BGR);
        image.getRaster().setPixel(0, 0, new int[] {r, g, b});
        SepiaFilter.apply(image);
        return image.getRaster().getPixel(0, 0, (int[]) null);
    }

    private static int exact(String wr, String wg, String wb, int r, int g, int b) {
        BigDecimal value = new BigDecimal(wr).multiply(BigDecimal.valueOf(r))
                .add(new BigDecimal(wg).multiply(BigDecimal.valueOf(g)))
                .add(new BigDecimal(wb).multiply(BigDecimal.valueOf(b)));
        return Math.min(255, value.setScale(0, RoundingMode.HALF_UP).intValueExact());
    }
}
