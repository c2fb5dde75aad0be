package dev.imagery.worker.image;

import static dev.imagery.worker.image.ExifOrientation.NORMAL;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.Adler32;

import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PngWriterTest {

    @ParameterizedTest
    @EnumSource(SepiaSettings.PngFilter.class)
    void everyFilterRoundTripsOverManyStrips(SepiaSettings.PngFilter filter) throws IOException {
        // 700 × 600 × 3 bytes is two strips and a bit; smooth gradients plus noise exercise every predictor.
        BufferedImage image = image(700, 600, BufferedImage.TYPE_3BYTE_BGR, 1);
        for (SepiaSettings.DeflateStrategy strategy : SepiaSettings.DeflateStrategy.values()) {
            byte[] parallel = PngWriter.write(bytes(image), 700, 600, 3, NORMAL, null, 1, filter, strategy,
                    true).toByteArray();
            byte[] serial = PngWriter.write(bytes(image), 700, 600, 3, NORMAL, null, 1, filter, strategy,
                    false).toByteArray();
            assertThat(parallel).as("the same bytes on any number of cores").isEqualTo(serial);
            assertSamePixels(image, ImageIO.read(new ByteArrayInputStream(parallel)));
        }
    }

    @ParameterizedTest
    @EnumSource(SepiaSettings.PngFilter.class)
    void writesGreyPixelsAsIndicesIntoTheSepiaPaletteOverManyStrips(SepiaSettings.PngFilter filter) throws IOException {
        // 1700 × 1300 bytes of indices is two strips and a bit; the same grey pixels filtered are what it must show.
        BufferedImage grey = new BufferedImage(1700, 1300, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(8);
        for (int y = 0; y < 1300; y++) {
            for (int x = 0; x < 1700; x++) {
                int level = (x / 7 + y / 5 + random.nextInt(9)) & 0xFF;
                grey.getRaster().setPixel(x, y, new int[] {level, level, level});
            }
        }
        byte[] parallel = PngWriter.write(bytes(grey), 1700, 1300, 3, NORMAL, SepiaPalette.of(grey, false), 1,
                filter, SepiaSettings.DeflateStrategy.DEFAULT, true).toByteArray();
        byte[] serial = PngWriter.write(bytes(grey), 1700, 1300, 3, NORMAL, SepiaPalette.of(grey, false), 1,
                filter, SepiaSettings.DeflateStrategy.DEFAULT, false).toByteArray();
        assertThat(parallel).as("the same bytes on any number of cores").isEqualTo(serial);
        assertThat(parallel[25]).as("colour type: palette").isEqualTo((byte) 3);
        SepiaFilter.apply(grey);
        assertSamePixels(grey, ImageIO.read(new ByteArrayInputStream(parallel)));
    }

    @Test
    void thePaethPredictorIsTheSpecsForEveryInput() {
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c = 0; c < 256; c++) {
                    int spec = specPaeth(a, b, c);
                    if (PngWriter.paeth(a, b, c) != spec) { // an assertion only on a miss: 16.7 million take seconds
                        assertThat(PngWriter.paeth(a, b, c)).as("paeth(%d, %d, %d)", a, b, c).isEqualTo(spec);
                    }
                }
            }
        }
    }

    /** The Paeth predictor as PNG 9.4 writes it: the nearest of the three to a + b - c, ties to a, then b. */
    static int specPaeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    @Test
    void keepsAlphaAndOddSizes() throws IOException {
        for (int[] size : new int[][] {{1, 1}, {1, 3000}, {3000, 1}, {513, 517}}) {
            BufferedImage image = image(size[0], size[1], BufferedImage.TYPE_4BYTE_ABGR, 2);
            byte[] png = PngWriter.write(bytes(image), size[0], size[1], 4, NORMAL, null, 6,
                    SepiaSettings.PngFilter.PAETH, SepiaSettings.DeflateStrategy.DEFAULT, true).toByteArray();
            BufferedImage read = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(read.getColorModel().hasAlpha()).isTrue();
            assertSamePixels(image, read);
        }
    }

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {5, 6, 7, 8})
    void aQuarterTurnWrittenFromTheStoredPixelsIsThePngOfTheTurnedPixels(int orientation) {
        // 700 × 600 is two strips and a bit either way round, so the rows at the strips' edges are checked too.
        BufferedImage grey = new BufferedImage(700, 600, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 600; y++) {
            for (int x = 0; x < 700; x++) {
                grey.setRGB(x, y, 0x010101 * ((x / 3 + y * 5) & 0xFF));
            }
        }
        for (BufferedImage stored : new BufferedImage[] {image(700, 600, BufferedImage.TYPE_3BYTE_BGR, 5),
                image(700, 600, BufferedImage.TYPE_4BYTE_ABGR, 6), grey}) {
            int bands = stored.getRaster().getNumBands();
            SepiaPalette palette = stored == grey ? SepiaPalette.of(grey, false) : null;
            BufferedImage turned = ExifOrientation.apply(stored, orientation, StandardImage::create);

            byte[] png = PngWriter.write(bytes(stored), 700, 600, bands, orientation, palette, 1,
                    SepiaSettings.PngFilter.AUTO, SepiaSettings.DeflateStrategy.DEFAULT, true).toByteArray();

            assertThat(png).isEqualTo(PngWriter.write(bytes(turned), 600, 700, bands, NORMAL, palette, 1,
                    SepiaSettings.PngFilter.AUTO, SepiaSettings.DeflateStrategy.DEFAULT, true).toByteArray());
        }
    }

    @Test
    void flatAndTwoColourImagesMakeValidCodes() throws IOException {
        BufferedImage flat = new BufferedImage(300, 200, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage stripes = image(300, 200, BufferedImage.TYPE_3BYTE_BGR, 4);
        for (int y = 0; y < 200; y++) {
            for (int x = 0; x < 300; x++) {
                stripes.setRGB(x, y, (x / 7 + y / 5) % 2 == 0 ? 0xFFFFFF : 0x000000);
            }
        }
        for (BufferedImage image : new BufferedImage[] {flat, stripes}) {
            for (SepiaSettings.PngFilter filter : SepiaSettings.PngFilter.values()) {
                for (SepiaSettings.DeflateStrategy strategy : SepiaSettings.DeflateStrategy.values()) {
                    byte[] png = PngWriter.write(bytes(image), 300, 200, 3, NORMAL, null, 1, filter, strategy,
                            false).toByteArray();
                    assertSamePixels(image, ImageIO.read(new ByteArrayInputStream(png)));
                }
            }
        }
    }

    @Test
    void autoFilterComesOutAsSmallAsTheBetterOfNoneAndUp() {
        // Rows much like the row above (a photograph's texture), where Up wins, and dithered flat colours, where
        // no filter wins.
        BufferedImage texture = new BufferedImage(800, 700, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage dithered = new BufferedImage(800, 700, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(6);
        int[] line = random.ints(800, 0, 1 << 24).toArray();
        int[] palette = {0x704214, 0xC0A080, 0xF0E0C0, 0x302010};
        for (int y = 0; y < 700; y++) {
            for (int x = 0; x < 800; x++) {
                texture.setRGB(x, y, line[x] ^ random.nextInt(4));
                dithered.setRGB(x, y, palette[random.nextInt(palette.length)]);
            }
        }
        int textureNone = size(texture, SepiaSettings.PngFilter.NONE);
        int textureUp = size(texture, SepiaSettings.PngFilter.UP);
        int ditheredNone = size(dithered, SepiaSettings.PngFilter.NONE);
        int ditheredUp = size(dithered, SepiaSettings.PngFilter.UP);
        assertThat(textureUp).as("Up wins on the texture").isLessThan(textureNone * 90 / 100);
        assertThat(ditheredNone).as("no filter wins on the dithered colours").isLessThan(ditheredUp * 90 / 100);

        // Within 2 %: each strip's trial rows are flushed once, and its first rows are a sample of the rest.
        assertThat(size(texture, SepiaSettings.PngFilter.AUTO)).isLessThanOrEqualTo(textureUp * 102 / 100);
        assertThat(size(dithered, SepiaSettings.PngFilter.AUTO)).isLessThanOrEqualTo(ditheredNone * 102 / 100);
    }

    @Test
    void combinesAdlerChecksumsAsIfComputedInOnePass() {
        Random random = new Random(3);
        byte[] a = new byte[100_003];
        byte[] b = new byte[70_001];
        random.nextBytes(a);
        random.nextBytes(b);
        Adler32 whole = new Adler32();
        whole.update(a);
        whole.update(b);
        Adler32 first = new Adler32();
        first.update(a);
        Adler32 second = new Adler32();
        second.update(b);
        assertThat(PngWriter.combineAdler32(first.getValue(), second.getValue(), b.length)).isEqualTo(whole.getValue());
    }

    private static BufferedImage image(int w, int h, int type, long seed) {
        BufferedImage image = new BufferedImage(w, h, type);
        Random random = new Random(seed);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x + random.nextInt(9)) & 0xFF;
                int g = (y * 3 + random.nextInt(5)) & 0xFF;
                int b = (x ^ y) & 0xFF;
                int a = type == BufferedImage.TYPE_4BYTE_ABGR ? random.nextInt(256) : 255;
                image.setRGB(x, y, a << 24 | r << 16 | g << 8 | b);
            }
        }
        return image;
    }

    private static int size(BufferedImage image, SepiaSettings.PngFilter filter) {
        return PngWriter.write(bytes(image), image.getWidth(), image.getHeight(), 3, NORMAL, null, 1,
                filter, SepiaSettings.DeflateStrategy.DEFAULT, true).toByteArray().length;
    }

    private static byte[] bytes(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }

    private static void assertSamePixels(BufferedImage expected, BufferedImage actual) {
        assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
        assertThat(actual.getHeight()).isEqualTo(expected.getHeight());
        int[] e = expected.getRGB(0, 0, expected.getWidth(), expected.getHeight(), null, 0, expected.getWidth());
        int[] a = actual.getRGB(0, 0, actual.getWidth(), actual.getHeight(), null, 0, actual.getWidth());
        assertThat(a).isEqualTo(e);
    }
}
