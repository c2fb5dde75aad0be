package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.imagery.test.image.ExifJpeg;

class SepiaProcessorTest {

    private final SepiaProcessor processor = new SepiaProcessor();

    @Test
    void turnsEveryPixelSepiaExactlyPerTheMatrix() throws Exception {
        BufferedImage rgb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0x6496C8); // (100, 150, 200)
        rgb.setRGB(1, 0, 0xFFFFFF);
        rgb.setRGB(0, 1, 0x0A141E); // (10, 20, 30)
        rgb.setRGB(1, 1, 0x000000);

        SepiaImage result = processor.process(png(rgb));

        BufferedImage out = read(result.png());
        assertThat(out.getColorModel().hasAlpha()).isFalse();
        assertThat(rgb(out, 0, 0)).containsExactly(192, 171, 134);
        assertThat(rgb(out, 1, 0)).containsExactly(255, 255, 239);
        assertThat(rgb(out, 0, 1)).containsExactly(25, 22, 17);
        assertThat(rgb(out, 1, 1)).containsExactly(0, 0, 0);
        assertThat(result.width()).isEqualTo(2);
        assertThat(result.height()).isEqualTo(2);
    }

    @Test
    void keepsTheAlphaChannelOfATranslucentPng() throws Exception {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x4D6496C8); // alpha 77, (100, 150, 200)
        argb.setRGB(1, 0, 0x00FFFFFF); // fully transparent white

        BufferedImage out = read(processor.process(png(argb)).png());

        assertThat(out.getColorModel().hasAlpha()).isTrue();
        assertThat(out.getRaster().getPixel(0, 0, (int[]) null)).containsExactly(192, 171, 134, 77);
        assertThat(out.getRaster().getPixel(1, 0, (int[]) null)).containsExactly(255, 255, 239, 0);
    }

    @Test
    void writesAnImageWhoseAlphaChannelIsAllOpaqueAsTheSameImageInRgb() throws Exception {
        // Screenshots and editors' PNGs often carry an alpha channel that leaves every pixel opaque.
        BufferedImage rgb = noise(1000, 601);
        BufferedImage argb = new BufferedImage(1000, 601, BufferedImage.TYPE_INT_ARGB);
        argb.getGraphics().drawImage(rgb, 0, 0, null);

        SepiaImage fromArgb = processor.process(png(argb));
        SepiaImage fromRgb = processor.process(png(rgb));

        assertThat(fromArgb.png()[25]).as("PNG colour type: RGB").isEqualTo((byte) 2);
        assertThat(fromArgb.png()).isEqualTo(fromRgb.png());
        assertThat(fromArgb.thumbnailPng()).isEqualTo(fromRgb.thumbnailPng());
        // One translucent pixel, the very last, and the alpha channel stays.
        argb.setRGB(999, 600, 0xFE000000 | argb.getRGB(999, 600) & 0xFFFFFF);
        BufferedImage out = read(processor.process(png(argb)).png());
        assertThat(out.getColorModel().hasAlpha()).isTrue();
        assertThat(out.getRaster().getSample(999, 600, 3)).isEqualTo(0xFE);
        assertThat(out.getRaster().getSample(998, 600, 3)).isEqualTo(0xFF);
    }

    @Test
    void turnsGreyIntoSepiaColourWithoutBrighteningIt() throws Exception {
        BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 100);

        BufferedImage out = read(processor.process(png(grey)).png());

        // (100, 100, 100) → R' 135.1, G' 120.3, B' 93.7
        assertThat(rgb(out, 0, 0)).containsExactly(135, 120, 94);
    }

    @ParameterizedTest
    @ValueSource(strings = {"grey PNG", "grey pixels in an RGB JPEG"})
    void writesABlackAndWhitePhotoAsAPaletteOfExactlyTheFiltersColours(String kind) throws Exception {
        // A black-and-white photo, as a grey PNG and as a JPEG in colour (neutral chroma decodes to equal R, G, B).
        BufferedImage grey = new BufferedImage(700, 500, BufferedImage.TYPE_BYTE_GRAY);
        Random random = new Random(7);
        for (int y = 0; y < 500; y++) {
            for (int x = 0; x < 700; x++) {
                grey.getRaster().setSample(x, y, 0, Math.min(255, (x + y) / 5 + random.nextInt(20)));
            }
        }
        BufferedImage rgb = new BufferedImage(700, 500, BufferedImage.TYPE_INT_RGB);
        rgb.getGraphics().drawImage(grey, 0, 0, null);
        byte[] file = kind.startsWith("grey PNG") ? png(grey).readAllBytes() : jpeg(rgb);
        BufferedImage source = ImageIO.read(new ByteArrayInputStream(file));

        SepiaImage result = processor.process(new ByteArrayInputStream(file));

        byte[] png = result.png();
        assertThat(png[25]).as("PNG colour type: palette").isEqualTo((byte) 3);
        BufferedImage out = read(png);
        for (int y = 0; y < 500; y++) {
            for (int x = 0; x < 700; x++) {
                int level = source.getRaster().getSample(x, y, 0);
                assertThat(rgb(out, x, y)).as("(%d, %d), grey %d", x, y, level).containsExactly(
                        SepiaFilter.red(level, level, level), SepiaFilter.green(level, level, level),
                        SepiaFilter.blue(level, level, level));
            }
        }
        // The thumbnail is filtered on its own: sepia too, red over green over blue where the photo is not black.
        BufferedImage thumbnail = read(result.thumbnailPng());
        assertThat(thumbnail.getWidth()).isEqualTo(480);
        int[] middle = rgb(thumbnail, 240, 170);
        assertThat(middle[0]).isGreaterThan(middle[1]);
        assertThat(middle[1]).isGreaterThan(middle[2]);
        // One colour pixel and the photo is a colour one, written in RGB.
        rgb.setRGB(350, 250, 0x6496C8);
        assertThat(processor.process(png(rgb)).png()[25]).as("PNG colour type: RGB").isEqualTo((byte) 2);
    }

    @Test
    void writesAGreyImageWithAClearLevelAsAPaletteWhoseEntryForThatLevelIsClear() throws Exception {
        // A grey drawing on a clear background, as a grey PNG keyed to white decodes: white pixels alpha 0.
        BufferedImage argb = new BufferedImage(700, 500, BufferedImage.TYPE_INT_ARGB);
        Random random = new Random(11);
        int[] levels = new int[700 * 500];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = random.nextInt(3) == 0 ? 255 : random.nextInt(255);
            argb.setRGB(i % 700, i / 700, (levels[i] == 255 ? 0 : 0xFF000000) | levels[i] * 0x010101);
        }

        SepiaImage result = processor.process(png(argb));

        byte[] png = result.png();
        assertThat(png[25]).as("PNG colour type: palette").isEqualTo((byte) 3);
        assertThat(new String(png, StandardCharsets.ISO_8859_1)).contains("tRNS");
        BufferedImage out = read(png);
        for (int i = 0; i < levels.length; i++) {
            int level = levels[i];
            assertThat(out.getRGB(i % 700, i / 700)).as("pixel %d, grey %d", i, level).isEqualTo(
                    (level == 255 ? 0 : 0xFF000000) | SepiaFilter.red(level, level, level) << 16
                            | SepiaFilter.green(level, level, level) << 8 | SepiaFilter.blue(level, level, level));
        }
        BufferedImage thumbnail = read(result.thumbnailPng());
        assertThat(thumbnail.getColorModel().hasAlpha()).isTrue();
        int[] middle = thumbnail.getRaster().getPixel(240, 170, (int[]) null);
        assertThat(middle[0]).as("sepia: red over green").isGreaterThan(middle[1]);
        assertThat(middle[1]).as("green over blue").isGreaterThan(middle[2]);
        // One translucent pixel, and the image is written in RGBA.
        argb.setRGB(699, 499, 0x80404040);
        assertThat(processor.process(png(argb)).png()[25]).as("PNG colour type: RGBA").isEqualTo((byte) 6);
    }

    @Test
    void scalesSixteenBitSamplesToEightBits() throws Exception {
        BufferedImage grey16 = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey16.getRaster().setSample(0, 0, 0, 100 * 257); // 100 in 16 bits

        BufferedImage out = read(processor.process(png(grey16)).png());

        assertThat(rgb(out, 0, 0)).containsExactly(135, 120, 94);
    }

    @Test
    void appliesExifOrientationSoTheResultIsUpright() throws Exception {
        // Stored 64×32, left half red, right half blue; orientation 6 says "turn a quarter clockwise".
        BufferedImage stored = new BufferedImage(64, 32, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = stored.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 32, 32);
        g.setColor(Color.BLUE);
        g.fillRect(32, 0, 32, 32);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(stored, "jpeg", jpeg);

        SepiaImage result = processor.process(
                new ByteArrayInputStream(ExifJpeg.withOrientation(jpeg.toByteArray(), 6)));

        assertThat(result.width()).isEqualTo(32);
        assertThat(result.height()).isEqualTo(64);
        BufferedImage out = read(result.png());
        // The left (red) half is now on top: sepia of red is (100, 89, 69), of blue (48, 43, 33).
        assertThat(rgb(out, 16, 16)).satisfies(p -> assertNear(p, 100, 89, 69, 6));
        assertThat(rgb(out, 16, 48)).satisfies(p -> assertNear(p, 48, 43, 33, 6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rgb_lzw_predictor.tif", "rgb_jpeg.tif"})
    void turnsATiffByItsOrientationTagWhicheverDecoderReadsIt(String name) throws Exception {
        // LZW is decoded by PlainTiff, JPEG inside by ImageIO; the tag is read for both.
        byte[] stored = PlainTiffTest.resource(name);
        byte[] turned = TiffFiles.withTag(stored, 274, 6);
        BufferedImage upright;
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(turned))) {
            upright = processor.decodeUpright(in, () -> null);
        }
        BufferedImage asStored = StandardImage.of(ImageIO.read(new ByteArrayInputStream(stored)),
                StandardImage::create);
        assertThat(upright.getWidth()).isEqualTo(asStored.getHeight());
        PlainJpegTest.assertSamePixels(upright, ExifOrientation.apply(asStored, 6, StandardImage::create));
    }

    @Test
    void anImageOnAFinishedImagesRasterComesOutExactlyAsOnANewOne() throws Exception {
        PixelBudget budget = new PixelBudget(20_000_000);
        SepiaProcessor recycling = new SepiaProcessor(SepiaSettings.defaults(), budget);
        BufferedImage white = new BufferedImage(1000, 800, BufferedImage.TYPE_INT_RGB);
        white.getGraphics().fillRect(0, 0, 1000, 800);
        recycling.process(new ByteArrayInputStream(jpeg(white)));

        // Each is within 5/4 of the white photo's raster, so gets it, with the white pixels still in it.
        byte[][] uploads = {jpeg(noise(960, 800)), png(noise(960, 800)).readAllBytes(),
                ExifJpeg.withOrientation(jpeg(noise(800, 960)), 6)};
        for (byte[] upload : uploads) {
            SepiaImage recycled = recycling.process(new ByteArrayInputStream(upload));
            SepiaImage fresh = new SepiaProcessor().process(new ByteArrayInputStream(upload));
            assertThat(recycled.png()).isEqualTo(fresh.png());
            assertThat(recycled.thumbnailPng()).isEqualTo(fresh.thumbnailPng());
        }
    }

    @Test
    void aPortraitPhotoTakesOneRasterNotTwo() throws Exception {
        // The JDK's decoder, the fallback, makes its own raster rather than the budget's.
        assumeTrue(TurboJpeg.available(), "libturbojpeg is not installed (apt-get install libturbojpeg0)");
        // A phone's portrait photo: stored landscape, with EXIF orientation 6 (a quarter turn clockwise).
        PixelBudget budget = new PixelBudget(20_000_000);
        SepiaProcessor recycling = new SepiaProcessor(SepiaSettings.defaults(), budget);
        byte[] portrait = ExifJpeg.withOrientation(jpeg(noise(960, 800)), 6);

        SepiaImage result = recycling.process(new ByteArrayInputStream(portrait));

        assertThat(read(result.png()).getWidth()).isEqualTo(800);
        // The budget keeps every raster the image used: one, 960 × 800 as stored; the turned one would double it.
        assertThat(budget.spareBytes()).isEqualTo(960 * 800 * 3);
    }

    /** The worker reads an S3 object whole, at its length: it must decode and fail exactly as through a stream. */
    @Test
    void anUploadOfKnownLengthComesOutAndFailsExactlyAsFromAStream() throws Exception {
        byte[] photo = png(noise(300, 200)).readAllBytes();
        byte[][] uploads = {jpeg(noise(300, 200)), photo,
                ExifJpeg.withOrientation(jpeg(noise(200, 300)), 6)};
        for (byte[] upload : uploads) {
            SepiaImage whole = processor.process(new ByteArrayInputStream(upload), upload.length);
            SepiaImage streamed = processor.process(new ByteArrayInputStream(upload));
            assertThat(whole.png()).isEqualTo(streamed.png());
            assertThat(whole.thumbnailPng()).isEqualTo(streamed.thumbnailPng());
        }

        byte[] half = Arrays.copyOf(photo, photo.length / 2);
        assertThatThrownBy(() -> processor.process(new ByteArrayInputStream(half), half.length))
                .isInstanceOf(UnprocessableImageException.class)
                .hasMessageStartingWith("truncated or corrupt image");
        assertThatThrownBy(() -> processor.process(new ByteArrayInputStream(new byte[0]), 0))
                .isInstanceOf(UnprocessableImageException.class)
                .hasMessage("not an image: the file is empty");
    }

    /** Fewer bytes than S3 announced is a failed read, so the work is retried, not the image failed. */
    @Test
    void anUploadEndingBeforeItsLengthIsAnIoErrorSoItIsRetried() throws Exception {
        byte[] photo = jpeg(noise(300, 200));

        assertThatThrownBy(() -> processor.process(new ByteArrayInputStream(photo), photo.length + 1))
                .isInstanceOf(EOFException.class);
    }

    @Test
    void anUploadTooLongForAnArrayIsRefusedAndOneOfUnknownLengthIsStreamed() throws Exception {
        byte[] photo = jpeg(noise(300, 200));

        assertThatThrownBy(() -> processor.process(new ByteArrayInputStream(photo), 3L << 30))
                .isInstanceOf(UnprocessableImageException.class)
                .hasMessageStartingWith("file too large: 3,221,225,472 bytes exceeds the limit of ");
        assertThat(processor.process(new ByteArrayInputStream(photo), -1).width()).isEqualTo(300);
    }

    @Test
    void makesAThumbnailWhoseLongerSideIsTheLimit() throws Exception {
        SepiaImage wide = processor.process(png(new BufferedImage(1000, 500, BufferedImage.TYPE_INT_RGB)));
        SepiaImage tall = processor.process(png(new BufferedImage(3, 2000, BufferedImage.TYPE_INT_RGB)));

        BufferedImage wideThumbnail = read(wide.thumbnailPng());
        BufferedImage tallThumbnail = read(tall.thumbnailPng());
        assertThat(wideThumbnail.getWidth()).isEqualTo(480);
        assertThat(wideThumbnail.getHeight()).isEqualTo(240);
        assertThat(tallThumbnail.getWidth()).isEqualTo(1);
        assertThat(tallThumbnail.getHeight()).isEqualTo(480);
    }

    @Test
    void neverEnlargesASmallImageForItsThumbnail() throws Exception {
        SepiaImage small = processor.process(png(new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB)));

        BufferedImage thumbnail = read(small.thumbnailPng());
        assertThat(thumbnail.getWidth()).isEqualTo(300);
        assertThat(thumbnail.getHeight()).isEqualTo(200);
    }

    @Test
    void rejectsImagesOverThePixelLimitBeforeDecodingThem() throws Exception {
        SepiaProcessor limited = new SepiaProcessor(new SepiaSettings(1000, 480, 4, false));

        assertThatThrownBy(() -> limited.process(png(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB))))
                .isInstanceOf(UnprocessableImageException.class)
                .hasMessage("image too large: 40x30 pixels exceeds the limit of 1,000 pixels");
        assertThat(limited.process(png(new BufferedImage(40, 25, BufferedImage.TYPE_INT_RGB))).width())
                .isEqualTo(40);
    }

    @Test
    void rejectsAnEmptyUpload() {
        assertThatThrownBy(() -> processor.process(new ByteArrayInputStream(new byte[0])))
                .isInstanceOf(UnprocessableImageException.class)
                .hasMessage("not an image: the file is empty");
    }

    @Test
    void rejectsTextAsNotAnImage() {
        byte[] text = "Dear diary, today I uploaded a text file.".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> processor.process(new ByteArrayInputStream(text)))
                .isInstanceOf(UnprocessableImageException.class)
                .hasMessageStartingWith("not an image");
    }

    @Test
    void namesARecognisedButUnsupportedFormat() {
        byte[] heic = "\0\0\0\u0018ftypheic\0\0\0\0mif1heic".getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> processor.process(new ByteArrayInputStream(heic)))
                .isInstanceOf(UnprocessableImageException.class)
                .hasMessageStartingWith("unsupported format: HEIC/HEIF");
    }

    @Test
    void rejectsAFileThatEndsEarlyAsTruncated() throws Exception {
        byte[] whole = png(noise(200, 100)).readAllBytes();
        byte[] half = Arrays.copyOf(whole, whole.length / 2);

        assertThatThrownBy(() -> processor.process(new ByteArrayInputStream(half)))
                .isInstanceOf(UnprocessableImageException.class)
                .hasMessageStartingWith("truncated or corrupt image");
    }

    @Test
    void reportsAFailingSourceAsAnIoErrorSoTheWorkIsRetried() throws Exception {
        byte[] whole = png(noise(200, 100)).readAllBytes();
        InputStream dropsConnection = new FilterInputStream(new ByteArrayInputStream(whole)) {
            private int served;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served > whole.length / 2) {
                    throw new IOException("Connection reset");
                }
                int n = super.read(b, off, Math.min(len, 1024));
                served += Math.max(n, 0);
                return n;
            }
        };

        assertThatThrownBy(() -> processor.process(dropsConnection))
                .isInstanceOf(IOException.class)
                .hasMessage("Connection reset");
    }

    @Test
    void readsASpooledFileLikeAStream(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("upload");
        Files.write(file, png(noise(64, 48)).readAllBytes());

        SepiaImage fromFile = processor.process(file);
        SepiaImage fromStream = processor.process(Files.newInputStream(file));

        assertThat(fromFile.width()).isEqualTo(64);
        assertThat(fromFile.height()).isEqualTo(48);
        assertThat(fromFile.png()).isEqualTo(fromStream.png());
        assertThat(fromFile.thumbnailPng()).isEqualTo(fromStream.thumbnailPng());
    }

    @Test
    void refusesNonsensicalSettings() {
        assertThatThrownBy(() -> new SepiaSettings(0, 480, 4, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SepiaSettings(Long.MAX_VALUE, 480, 4, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SepiaSettings(1000, 0, 4, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SepiaSettings(1000, 480, 10, true)).isInstanceOf(IllegalArgumentException.class);
    }

    static InputStream png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return new ByteArrayInputStream(out.toByteArray());
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    static BufferedImage read(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as("a decodable PNG").isNotNull();
        return image;
    }

    private static int[] rgb(BufferedImage image, int x, int y) {
        int p = image.getRGB(x, y);
        return new int[] {p >> 16 & 0xFF, p >> 8 & 0xFF, p & 0xFF};
    }

    private static BufferedImage noise(int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(42);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    private static void assertNear(int[] actual, int r, int g, int b, int tolerance) {
        assertThat(actual[0]).isBetween(r - tolerance, r + tolerance);
        assertThat(actual[1]).isBetween(g - tolerance, g + tolerance);
        assertThat(actual[2]).isBetween(b - tolerance, b + tolerance);
    }
}
