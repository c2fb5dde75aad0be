package dev.imagery.worker.image;

import static dev.imagery.worker.image.PlainJpegTest.assertSamePixels;
import static dev.imagery.worker.image.PlainJpegTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.imagery.test.corpus.Corpus;

/**
 * The TIFF decoder against TwelveMonkeys' (ImageIO's), which reads every TIFF it does not. The files in {@code /tiff}
 * are a corpus photo resized to 97×61 with ImageMagick 6.9 ({@code convert medium_4.1MP_LadyBird.jpg -strip -resize
 * 97x61! -depth 8}; grey with {@code -colorspace Gray}, alpha from a grey ramp with {@code -compose CopyOpacity},
 * {@code -depth 16}), then written by libtiff 4.5's {@code tiffcp}, the library most TIFF writers use: its name
 * says how ({@code -c lzw:2} is LZW with the horizontal predictor, {@code -B} big-endian, {@code -r} the rows a
 * strip, chosen so the last strip is shorter; {@code rgb_lzw_one_strip.tif} is one strip of 17 KB, long enough for
 * the LZW table to fill and be cleared; {@code -t -w -l} tiles of that width and length, which do not divide the
 * image, so the right and bottom tiles reach past it, and {@code rgb_one_tile_packbits.tif} is one tile larger than
 * the image; {@code -p separate} separate planes, which libtiff writes for 8-bit samples only; {@code rgb_jpeg.tif}
 * is {@code -c jpeg -r 16}). The CMYK files are the same photo with {@code -colorspace CMYK} ({@code cmyk16_*} with
 * {@code -depth 16}), which ImageMagick writes with no profile, as TwelveMonkeys then converts it without colour
 * management. The palette files are the photo with {@code -colors 256 -type Palette}; in
 * {@code palette_uncompressed_low_bytes.tif} each 16-bit colour of the ColorMap has been given another low byte
 * (ImageMagick writes 257 times an 8-bit value), so that only the high byte gives ImageIO's colours. The
 * {@code *_grey_profile} files carry ghostscript's {@code sgray.icc} and {@code default_gray.icc}.
 */
class PlainTiffTest {

    private static final long LIMIT = 100_000_000;
    private static final int INK_SET = 332;
    private static final int EXTRA_SAMPLES = 338;
    private static final int PHOTOMETRIC = 262;
    private static final int WIDTH = 256;
    private static final int HEIGHT = 257;
    private static final int STRIP_BYTE_COUNTS = 279;

    @ParameterizedTest
    @ValueSource(strings = {"rgb_lzw_predictor.tif", "rgb_lzw_one_strip.tif", "rgba_lzw_predictor_big_endian.tif",
            "grey_deflate_predictor.tif", "grey_alpha_packbits.tif", "rgb16_lzw_predictor.tif",
            "rgb16_deflate_predictor_big_endian.tif", "rgb_uncompressed.tif", "cmyk_lzw_predictor.tif",
            "cmyk_uncompressed.tif", "rgb_tiled.tif", "rgb16_tiled_deflate_predictor.tif",
            "grey_alpha_tiled_uncompressed.tif", "cmyk_tiled_lzw_predictor.tif", "rgb_one_tile_packbits.tif",
            "rgb_planes.tif", "rgba_planes_uncompressed.tif", "rgb_tiled_planes_deflate_predictor.tif",
            "cmyk_planes_lzw_predictor.tif", "cmyk16_lzw_predictor.tif",
            "cmyk16_deflate_predictor_big_endian.tif", "palette_lzw.tif", "palette_tiled_deflate_predictor.tif",
            "palette_uncompressed_low_bytes.tif", "grey_lzw_predictor_grey_profile.tif",
            "grey16_deflate_big_endian_grey_profile.tif"})
    void decodesWhatLibtiffWritesToExactlyImageIosPixels(String name) throws Exception {
        byte[] tiff = resource(name);
        BufferedImage fast = decode(tiff);
        assertThat(fast).as("decoded here, not left to ImageIO").isNotNull();
        BufferedImage imageIo = ImageIO.read(new ByteArrayInputStream(tiff));
        assertThat(fast.getColorModel().hasAlpha()).isEqualTo(name.contains("alpha") || name.startsWith("rgba"))
                .isEqualTo(imageIo.getColorModel().hasAlpha());
        assertSamePixels(fast, imageIo);
    }

    @Test
    void decodesTheCorpusTiffToExactlyImageIosPixels() throws Exception {
        byte[] tiff = Files.readAllBytes(Corpus.path("edge/tiff_uncompressed.tiff"));
        BufferedImage fast = decode(tiff);
        assertThat(fast).as("decoded here, not left to ImageIO").isNotNull();
        assertSamePixels(fast, ImageIO.read(new ByteArrayInputStream(tiff)));
    }

    @Test
    void convertsPhotoshopsAdobeRgbSixteenBitTiffToSrgbAsColourManagementDoes() throws Exception {
        // ImageIO converts the 16-bit samples with the colour management system; this decoder rounds them to 8
        // bits first and converts with RgbProfile's table and matrix, where a dark sample's rounding can grow
        // to a second step (8-bit sources are within one: PlainPngTest).
        byte[] tiff = Files.readAllBytes(Corpus.path("edge/tiff_16bit_photoshop.tiff"));
        BufferedImage fast = decode(tiff);
        assertThat(fast).as("decoded here, not left to ImageIO").isNotNull();
        BufferedImage managed = StandardImage.of(ImageIO.read(new ByteArrayInputStream(tiff)), StandardImage::create);
        assertThat(fast.getWidth()).isEqualTo(managed.getWidth());
        assertThat(fast.getHeight()).isEqualTo(managed.getHeight());
        assertThat(TurboJpegTest.worstDifference(bytes(fast), bytes(managed))).isLessThanOrEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cmyk_lzw_predictor.tif", "cmyk_planes_lzw_predictor.tif", "cmyk16_lzw_predictor.tif"})
    void convertsCmykWithAPrintProfileToImageIosColoursWithinTheTablesPrecision(String name) throws Exception {
        // The libtiff files with U.S. Web Coated (SWOP) v2 added: inks with the profile that gives their colours.
        byte[] tiff = TiffFiles.withIccProfile(resource(name), CmykProfileTest.swop());
        BufferedImage fast = decode(tiff);
        assertThat(fast).as("decoded here, not left to ImageIO").isNotNull();
        byte[] managed = bytes(StandardImage.of(ImageIO.read(new ByteArrayInputStream(tiff)), StandardImage::create));
        byte[] untagged = bytes(decode(resource(name)));
        // The BGR image lies over the array the inks were decoded into: its first three quarters.
        byte[] colours = Arrays.copyOf(bytes(fast), managed.length);
        assertThat(TurboJpegTest.worstDifference(colours, managed)).isLessThanOrEqualTo(16);
        assertThat(TurboJpegTest.worstDifference(colours, untagged)).as("the profile changed the colours")
                .isGreaterThan(10);
    }

    @Test
    void decodesALargeImageInBandsOfStripsToThePixelsItWasWrittenFrom() throws Exception {
        // 97×61 pixels are too few to split; a 1.9 MP image is split in two bands of strips, each band with its own
        // LZW table, and must come out as the pixels it was written from. Made of the small photo's pixels, 16
        // copies side by side and 20 below each other, so the data is a photo's; written by the JDK's writer in
        // 153 strips of 8 rows.
        byte[] tiff = resource("rgb_lzw_predictor.tif");
        BufferedImage small = decode(tiff);
        assertThat(small).isNotNull();
        BufferedImage large = new BufferedImage(97 * 16, 61 * 20, BufferedImage.TYPE_3BYTE_BGR);
        for (int ty = 0; ty < 20; ty++) {
            for (int tx = 0; tx < 16; tx++) {
                large.getRaster().setRect(97 * tx, 61 * ty, small.getRaster());
            }
        }
        byte[] written = TiffFiles.lzw(large);
        BufferedImage fast = decode(written);
        assertThat(fast).isNotNull();
        assertSamePixels(fast, large);
    }

    @Test
    void leavesJpegInsideToImageIo() throws Exception {
        byte[] tiff = resource("rgb_jpeg.tif");
        assertThat(decode(tiff)).isNull();
        assertThat(ImageIO.read(new ByteArrayInputStream(tiff))).as("ImageIO reads it").isNotNull();
    }

    @Test
    void leavesPremultipliedAlphaWhiteIsZeroGreyAndOtherInksToImageIo() throws Exception {
        assertThat(decode(resource("rgba_lzw_predictor_big_endian.tif"))).isNotNull();
        assertThat(decode(TiffFiles.withTag(resource("rgba_lzw_predictor_big_endian.tif"), EXTRA_SAMPLES, 1)))
                .as("associated (premultiplied) alpha").isNull();
        assertThat(decode(TiffFiles.withTag(resource("grey_deflate_predictor.tif"), PHOTOMETRIC, 0)))
                .as("white is zero").isNull();
        assertThat(decode(resource("cmyk_lzw_predictor.tif"))).isNotNull();
        assertThat(decode(TiffFiles.withTag(resource("cmyk_lzw_predictor.tif"), INK_SET, 2)))
                .as("inks other than CMYK").isNull();
    }

    @Test
    void leavesAStripThatEndsEarlyAndACutOffFileToImageIo() throws Exception {
        byte[] tiff = resource("rgb_lzw_one_strip.tif");
        assertThat(decode(tiff)).isNotNull();
        // Its one strip is 22 KB of LZW codes: 1000 bytes of them decode to fewer pixels than the strip's rows.
        assertThat(decode(TiffFiles.withTag(tiff, STRIP_BYTE_COUNTS, 1000))).isNull();
        // libtiff writes the directory after the strips: half the file has none.
        assertThat(decode(Arrays.copyOf(tiff, tiff.length / 2))).isNull();
    }

    @Test
    void refusesADecompressionBombFromItsDirectoryAlone() throws Exception {
        byte[] bomb = TiffFiles.withTag(TiffFiles.withTag(resource("rgb_lzw_predictor.tif"), WIDTH, 60_000),
                HEIGHT, 60_000);
        assertThatThrownBy(() -> decode(bomb))
                .isInstanceOf(UnprocessableImageException.class).hasMessageContaining("too large");
    }

    static BufferedImage decode(byte[] tiff) throws IOException, UnprocessableImageException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(tiff))) {
            return PlainTiff.decode(in, (width, height) -> ImageDecoder.checkSize(width, height, LIMIT));
        }
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = PlainTiffTest.class.getResourceAsStream("/tiff/" + name)) {
            return in.readAllBytes();
        }
    }
}
