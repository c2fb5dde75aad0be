package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.imagery.test.corpus.Corpus;

/** The pipeline on the shared corpus of real photos and awkward files. */
class CorpusImagesTest {

    private static final Path CORPUS = Corpus.root();
    private static final SepiaProcessor PROCESSOR = new SepiaProcessor();

    /** Edge-case files that must be refused, and the start of the reason given. */
    private static final Map<String, String> REFUSED = Map.of(
            "bomb_65536x65536.png", "image too large: 65536x65536 pixels exceeds the limit of 50,000,000 pixels",
            "truncated_10000B.jpg", "truncated or corrupt image",
            "truncated_10000B.png", "truncated or corrupt image",
            "truncated.gif", "truncated or corrupt image",
            "bad_shortfile.bmp", "truncated or corrupt image",
            "corrupt_header.jpg", "truncated or corrupt image");

    @BeforeAll
    static void independentDecoders() {
        // The reference decode below must not depend on the registration done by the code under test.
        ImageIO.scanForPlugins();
    }

    static Stream<Path> photos() throws IOException {
        return list("photos");
    }

    static Stream<Path> edgeCases() throws IOException {
        return list("edge");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("photos")
    void everyPhotoBecomesSepiaWithinOneLevelOfTheMatrix(Path photo) throws Exception {
        BufferedImage source = ImageIO.read(photo.toFile());

        SepiaImage result = process(photo);

        assertThat(result.width()).isEqualTo(source.getWidth());
        assertThat(result.height()).isEqualTo(source.getHeight());
        BufferedImage out = SepiaProcessorTest.read(result.png());
        assertThat(out.getWidth()).isEqualTo(source.getWidth());
        assertThat(out.getHeight()).isEqualTo(source.getHeight());
        assertFollowsMatrix(source, out, 1);
        assertThumbnail(result, out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeCases")
    void everyEdgeCaseIsProcessedOrRefusedWithItsReason(Path file) throws Exception {
        String name = file.getFileName().toString();
        String refusal = REFUSED.get(name);
        if (refusal != null) {
            assertThatThrownBy(() -> process(file))
                    .isExactlyInstanceOf(UnprocessableImageException.class)
                    .hasMessageStartingWith(refusal);
            return;
        }
        SepiaImage result;
        try {
            result = process(file);
        } catch (UnprocessableImageException e) {
            throw new AssertionError(name + " was refused: " + e.getMessage(), e);
        }
        BufferedImage out = SepiaProcessorTest.read(result.png());
        assertThat(out.getWidth()).isEqualTo(result.width()).isPositive();
        assertThat(out.getHeight()).isEqualTo(result.height()).isPositive();
        assertThumbnail(result, out);
    }

    @Test
    void refusesTheDecompressionBombOnItsHeaderAlone() {
        // 4.3 gigapixels: decoding it would need 13 GB; the header check must refuse it first.
        assertThatThrownBy(() -> process(CORPUS.resolve("edge/bomb_65536x65536.png")))
                .isInstanceOf(UnprocessableImageException.class)
                .hasMessage("image too large: 65536x65536 pixels exceeds the limit of 50,000,000 pixels")
                .hasNoCause();
    }

    @Test
    void turnsExifOrientation6AQuarterClockwise() throws Exception {
        Path file = CORPUS.resolve("edge/exif_orient6_canon.jpg");
        BufferedImage stored = ImageIO.read(file.toFile()); // ImageIO ignores EXIF orientation

        SepiaImage result = process(file);

        assertThat(stored.getWidth()).isEqualTo(2048);
        assertThat(stored.getHeight()).isEqualTo(1536);
        assertThat(result.width()).isEqualTo(1536);
        assertThat(result.height()).isEqualTo(2048);
        assertFollowsMatrix(rotateClockwise(stored), SepiaProcessorTest.read(result.png()), 1);
    }

    @Test
    void turnsExifOrientation3AHalfTurn() throws Exception {
        Path file = CORPUS.resolve("edge/exif_orient3_Landscape_3.jpg");
        BufferedImage stored = ImageIO.read(file.toFile());

        SepiaImage result = process(file);

        assertThat(result.width()).isEqualTo(1800);
        assertThat(result.height()).isEqualTo(1200);
        assertFollowsMatrix(rotateHalf(stored), SepiaProcessorTest.read(result.png()), 1);
    }

    @Test
    void storedDifferentlyTheSamePictureComesOutTheSameWayUp() throws Exception {
        // Landscape_3 and Landscape_6 are one picture stored turned 180° and 90°: upright, they match.
        BufferedImage three = SepiaProcessorTest.read(process(CORPUS.resolve("edge/exif_orient3_Landscape_3.jpg")).png());
        BufferedImage six = SepiaProcessorTest.read(process(CORPUS.resolve("edge/exif_orient6_Landscape_6.jpg")).png());

        assertThat(six.getWidth()).isEqualTo(three.getWidth());
        assertThat(six.getHeight()).isEqualTo(three.getHeight());
        assertThat(meanAbsoluteDifference(three, six)).as("mean difference per channel").isLessThan(4.0);
    }

    @Test
    void keepsTheAlphaOfTranslucentImages() throws Exception {
        for (String name : new String[] {"alpha_rgba_small.png", "alpha_rgba_blackbug.png",
                "palette_trns_tbbn3p08.png", "webp_lossy_alpha_5_webp_a.webp"}) {
            Path file = CORPUS.resolve("edge").resolve(name);
            BufferedImage source = ImageIO.read(file.toFile());

            BufferedImage out = SepiaProcessorTest.read(process(file).png());

            assertThat(out.getColorModel().hasAlpha()).as(name).isTrue();
            for (int y = 0; y < out.getHeight(); y += 7) {
                for (int x = 0; x < out.getWidth(); x += 7) {
                    assertThat(out.getRGB(x, y) >>> 24).as("%s alpha at %d,%d", name, x, y)
                            .isEqualTo(source.getRGB(x, y) >>> 24);
                }
            }
        }
    }

    @Test
    void turnsAGreyscaleJpegIntoSepiaColours() throws Exception {
        Path file = CORPUS.resolve("edge/grayscale_concert.jpg");
        BufferedImage grey = ImageIO.read(file.toFile());
        assertThat(grey.getRaster().getNumBands()).isEqualTo(1);

        BufferedImage out = SepiaProcessorTest.read(process(file).png());

        assertThat(out.getColorModel().hasAlpha()).isFalse();
        for (int y = 0; y < grey.getHeight(); y += 5) {
            for (int x = 0; x < grey.getWidth(); x += 5) {
                int v = grey.getRaster().getSample(x, y, 0);
                int p = out.getRGB(x, y);
                assertThat(new int[] {p >> 16 & 0xFF, p >> 8 & 0xFF, p & 0xFF}).as("at %d,%d", x, y)
                        .containsExactly(SepiaFilter.red(v, v, v), SepiaFilter.green(v, v, v), SepiaFilter.blue(v, v, v));
            }
        }
    }

    @Test
    void decodesACmykJpegToRgbColours() throws Exception {
        BufferedImage out = SepiaProcessorTest.read(process(CORPUS.resolve("edge/cmyk_with_profile.jpg")).png());

        assertThat(out.getWidth()).isEqualTo(500);
        assertThat(out.getHeight()).isEqualTo(333);
        // A CMYK file read as RGB would be a negative: mostly dark. The photo is mostly light.
        assertThat(meanLuma(out)).isGreaterThan(100);
    }

    /** As the worker reads an S3 object: a stream of known length. */
    private static SepiaImage process(Path file) throws UnprocessableImageException, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return PROCESSOR.process(in, Files.size(file));
        }
    }

    private static Stream<Path> list(String dir) throws IOException {
        try (Stream<Path> files = Files.list(CORPUS.resolve(dir))) {
            return files.filter(Files::isRegularFile).sorted().toList().stream();
        }
    }

    /** Compares a grid of about 4000 pixels: out = sepia(source), ±tolerance for JPEG decoder rounding. */
    private static void assertFollowsMatrix(BufferedImage source, BufferedImage out, int tolerance) {
        int stepX = Math.max(1, source.getWidth() / 64);
        int stepY = Math.max(1, source.getHeight() / 64);
        for (int y = 0; y < source.getHeight(); y += stepY) {
            for (int x = 0; x < source.getWidth(); x += stepX) {
                int s = source.getRGB(x, y);
                int r = s >> 16 & 0xFF;
                int g = s >> 8 & 0xFF;
                int b = s & 0xFF;
                int o = out.getRGB(x, y);
                int[] expected = {SepiaFilter.red(r, g, b), SepiaFilter.green(r, g, b), SepiaFilter.blue(r, g, b)};
                int[] actual = {o >> 16 & 0xFF, o >> 8 & 0xFF, o & 0xFF};
                for (int c = 0; c < 3; c++) {
                    if (Math.abs(actual[c] - expected[c]) > tolerance) {
                        fail("pixel %d,%d: expected about %s, got %s", x, y, Arrays.toString(expected),
                                Arrays.toString(actual));
                    }
                }
            }
        }
    }

    private static void assertThumbnail(SepiaImage result, BufferedImage full) throws IOException {
        BufferedImage thumbnail = SepiaProcessorTest.read(result.thumbnailPng());
        int longer = Math.max(full.getWidth(), full.getHeight());
        int expectedLonger = Math.min(longer, SepiaSettings.DEFAULT_THUMBNAIL_MAX_SIDE);
        assertThat(Math.max(thumbnail.getWidth(), thumbnail.getHeight())).isEqualTo(expectedLonger);
        double aspect = (double) full.getWidth() / full.getHeight();
        double thumbnailAspect = (double) thumbnail.getWidth() / thumbnail.getHeight();
        assertThat(thumbnailAspect).isCloseTo(aspect, org.assertj.core.data.Percentage.withPercentage(2));
    }

    private static BufferedImage rotateClockwise(BufferedImage src) {
        BufferedImage dst = new BufferedImage(src.getHeight(), src.getWidth(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                dst.setRGB(src.getHeight() - 1 - y, x, src.getRGB(x, y));
            }
        }
        return dst;
    }

    private static BufferedImage rotateHalf(BufferedImage src) {
        BufferedImage dst = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < src.getHeight(); y++) {
            for (int x = 0; x < src.getWidth(); x++) {
                dst.setRGB(src.getWidth() - 1 - x, src.getHeight() - 1 - y, src.getRGB(x, y));
            }
        }
        return dst;
    }

    private static double meanAbsoluteDifference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        long n = 0;
        for (int y = 0; y < a.getHeight(); y += 3) {
            for (int x = 0; x < a.getWidth(); x += 3) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs((p >> shift & 0xFF) - (q >> shift & 0xFF));
                    n++;
                }
            }
        }
        return (double) sum / n;
    }

    private static double meanLuma(BufferedImage image) {
        long sum = 0;
        long n = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int p = image.getRGB(x, y);
                sum += (299L * (p >> 16 & 0xFF) + 587L * (p >> 8 & 0xFF) + 114L * (p & 0xFF)) / 1000;
                n++;
            }
        }
        return (double) sum / n;
    }
}
