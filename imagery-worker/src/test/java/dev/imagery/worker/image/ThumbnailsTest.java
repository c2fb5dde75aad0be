package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

class ThumbnailsTest {

    @Test
    void averagesEachBlockOfPixels() {
        BufferedImage image = new BufferedImage(4, 2, BufferedImage.TYPE_3BYTE_BGR);
        set(image, 0, 0, 10, 20, 30);
        set(image, 1, 0, 20, 30, 40);
        set(image, 0, 1, 30, 40, 50);
        set(image, 1, 1, 41, 50, 60);
        set(image, 2, 0, 255, 255, 255);

        BufferedImage shrunk = Thumbnails.boxShrink(image, 2);

        assertThat(shrunk.getWidth()).isEqualTo(2);
        assertThat(shrunk.getHeight()).isEqualTo(1);
        assertThat(shrunk.getRGB(0, 0)).isEqualTo(0xFF000000 | 25 << 16 | 35 << 8 | 45); // 25.25 → 25
        assertThat(shrunk.getRGB(1, 0)).isEqualTo(0xFF000000 | 64 << 16 | 64 << 8 | 64); // 63.75 → 64
    }

    @Test
    void averagesPartialBlocksAtTheEdges() {
        BufferedImage image = new BufferedImage(5, 3, BufferedImage.TYPE_3BYTE_BGR);
        set(image, 4, 2, 90, 90, 90);

        BufferedImage shrunk = Thumbnails.boxShrink(image, 2);

        assertThat(shrunk.getWidth()).isEqualTo(3);
        assertThat(shrunk.getHeight()).isEqualTo(2);
        // The bottom-right block is that single pixel.
        assertThat(shrunk.getRGB(2, 1) & 0xFFFFFF).isEqualTo(90 << 16 | 90 << 8 | 90);
    }

    @Test
    void averagesEveryBlockOfANoisyImageExactly() {
        // Rows of 3 × 301 bytes end past their last whole 8-byte word; bright noise makes every column sum large; a
        // factor of 300 makes bands taller than 16-bit lanes can add up.
        Random random = new Random(7);
        BufferedImage image = new BufferedImage(301, 650, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                set(image, x, y, 200 + random.nextInt(56), random.nextInt(256), 255 - random.nextInt(8));
            }
        }
        for (int factor : new int[] {2, 3, 7, 257, 300}) {
            BufferedImage shrunk = Thumbnails.boxShrink(image, factor);
            for (int oy = 0; oy < shrunk.getHeight(); oy++) {
                for (int ox = 0; ox < shrunk.getWidth(); ox++) {
                    assertThat(shrunk.getRGB(ox, oy)).as("factor %d, block (%d, %d)", factor, ox, oy)
                            .isEqualTo(blockMean(image, ox * factor, oy * factor, factor));
                }
            }
        }
    }

    @Test
    void transparentPixelsLendNoColourToTheirBlock() {
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_4BYTE_ABGR);
        image.getRaster().setPixel(0, 0, new int[] {200, 0, 0, 255});
        image.getRaster().setPixel(1, 0, new int[] {255, 255, 255, 0});
        image.getRaster().setPixel(0, 1, new int[] {255, 255, 255, 0});
        image.getRaster().setPixel(1, 1, new int[] {255, 255, 255, 0});

        BufferedImage shrunk = Thumbnails.boxShrink(image, 2);

        assertThat(shrunk.getColorModel().hasAlpha()).isTrue();
        // Red, a quarter opaque, premultiplied: 200 × 64 / 255 = 50.
        assertThat(shrunk.getRaster().getPixel(0, 0, (int[]) null)).containsExactly(50, 0, 0, 64);
    }

    @Test
    void aThumbnailOfASideLongerThanAnIntCanWeighStillHasItsColour() {
        // A white column 40 000 pixels tall into a 1-pixel thumbnail: 40 000 rows of 255 × 255 would overflow an int.
        BufferedImage column = new BufferedImage(1, 40_000, BufferedImage.TYPE_4BYTE_ABGR);
        Arrays.fill(((DataBufferByte) column.getRaster().getDataBuffer()).getData(), (byte) 255);

        BufferedImage thumbnail = Thumbnails.of(column, 1);

        assertThat(thumbnail.getRGB(0, 0)).isEqualTo(0xFFFFFFFF);
        assertThatThrownBy(() -> Thumbnails.boxShrink(column, Thumbnails.MAX_WEIGHTED_ROWS + 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bringsTheLongerSideToTheLimitKeepingProportions() {
        BufferedImage large = new BufferedImage(5640, 3172, BufferedImage.TYPE_3BYTE_BGR);

        BufferedImage thumbnail = Thumbnails.of(large, 480);

        assertThat(thumbnail.getWidth()).isEqualTo(480);
        assertThat(thumbnail.getHeight()).isEqualTo(270); // 3172 × 480 / 5640 = 269.96
    }

    @Test
    void aThumbnailsPngHoldsExactlyItsPixelsWithOrWithoutAlpha() throws IOException {
        Random random = new Random(8);
        for (boolean alpha : new boolean[] {false, true}) {
            BufferedImage large = new BufferedImage(1200, 900,
                    alpha ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < 900; y++) {
                for (int x = 0; x < 1200; x++) {
                    large.setRGB(x, y, (alpha ? random.nextInt(256) : 255) << 24 | (x * 7 + y) << 8 ^ random.nextInt(64));
                }
            }
            BufferedImage thumbnail = Thumbnails.of(large, 480);

            byte[] png = PngEncoding.encodeThumbnail(thumbnail, ExifOrientation.NORMAL, false);
            BufferedImage read = ImageIO.read(new ByteArrayInputStream(png));

            assertThat(read.getColorModel().hasAlpha()).isEqualTo(alpha);
            assertThat(read.getRGB(0, 0, 480, 360, null, 0, 480))
                    .isEqualTo(thumbnail.getRGB(0, 0, 480, 360, null, 0, 480));
        }
    }

    /** The opaque mean of the block from (x0, y0), rounded half up, per channel: the box filter by its definition. */
    private static int blockMean(BufferedImage image, int x0, int y0, int factor) {
        long[] sums = new long[3];
        int n = 0;
        for (int y = y0; y < Math.min(image.getHeight(), y0 + factor); y++) {
            for (int x = x0; x < Math.min(image.getWidth(), x0 + factor); x++) {
                int[] rgb = image.getRaster().getPixel(x, y, (int[]) null);
                for (int c = 0; c < 3; c++) {
                    sums[c] += rgb[c];
                }
                n++;
            }
        }
        int rgb = 0xFF000000;
        for (int c = 0; c < 3; c++) {
            rgb |= (int) ((sums[c] + n / 2) / n) << (16 - 8 * c);
        }
        return rgb;
    }

    private static void set(BufferedImage image, int x, int y, int r, int g, int b) {
        image.getRaster().setPixel(x, y, new int[] {r, g, b});
    }
}
