package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

class SepiaPaletteTest {

    @Test
    void holdsWhatTheFilterMakesOfEachGreyLevel() {
        BufferedImage levels = StandardImage.create(256, 1, false);
        for (int grey = 0; grey < 256; grey++) {
            levels.getRaster().setPixel(grey, 0, new int[] {grey, grey, grey});
        }
        SepiaFilter.apply(levels);
        for (int grey = 0; grey < 256; grey++) {
            int[] entry = {SepiaPalette.ENTRIES[grey * 3] & 0xFF, SepiaPalette.ENTRIES[grey * 3 + 1] & 0xFF,
                SepiaPalette.ENTRIES[grey * 3 + 2] & 0xFF};
            assertThat(entry).as("grey %d", grey).containsExactly(levels.getRaster().getPixel(grey, 0, (int[]) null));
        }
    }

    @Test
    void findsAGreyImageAndAnyColourPixelInIt() {
        // The colour pixel in the last band, or the first.
        for (boolean parallel : new boolean[] {true, false}) {
            BufferedImage image = greyPattern(false);
            assertThat(SepiaPalette.of(image, parallel).transparency()).as("an opaque grey image: no tRNS").isNull();
            image.getRaster().setPixel(1200, 1000, new int[] {5, 5, 6});
            assertThat(SepiaPalette.of(image, parallel)).as("a bluish last pixel").isNull();
            image.getRaster().setPixel(1200, 1000, new int[] {5, 5, 5});
            image.getRaster().setPixel(0, 0, new int[] {1, 0, 0});
            assertThat(SepiaPalette.of(image, parallel)).as("a reddish first pixel").isNull();
        }
    }

    @Test
    void takesAGreyImageWithAlphaWhenEachLevelIsOpaqueOrClearThroughout() {
        for (boolean parallel : new boolean[] {true, false}) {
            // A grey drawing whose white is clear, as a grey PNG keyed to white decodes.
            BufferedImage image = greyPattern(true);
            byte[] alphas = SepiaPalette.of(image, parallel).transparency();
            assertThat(alphas).hasSize(256);
            assertThat(alphas[255]).isZero();
            assertThat(alphas[254]).isEqualTo((byte) 255);
            assertThat(alphas[0]).isEqualTo((byte) 255);

            image.getRaster().setPixel(1200, 1000, new int[] {9, 9, 9, 128});
            assertThat(SepiaPalette.of(image, parallel)).as("a translucent last pixel").isNull();
            image.getRaster().setPixel(1200, 1000, new int[] {9, 9, 9, 0});
            assertThat(SepiaPalette.of(image, parallel)).as("level 9 both opaque and clear").isNull();
            image.getRaster().setPixel(1200, 1000, new int[] {255, 255, 255, 0});
            image.getRaster().setPixel(0, 0, new int[] {255, 254, 255, 0});
            assertThat(SepiaPalette.of(image, parallel)).as("a clear colour pixel").isNull();
        }
    }

    /** 1.2 MP of every grey level (several bands on the pool); with alpha, white is clear and the rest opaque. */
    private static BufferedImage greyPattern(boolean alpha) {
        BufferedImage image = StandardImage.create(1201, 1001, alpha);
        for (int y = 0; y < 1001; y++) {
            for (int x = 0; x < 1201; x++) {
                int grey = (x * 7 + y * 13) % 256;
                image.getRaster().setPixel(x, y, alpha ? new int[] {grey, grey, grey, grey == 255 ? 0 : 255}
                        : new int[] {grey, grey, grey});
            }
        }
        return image;
    }
}
