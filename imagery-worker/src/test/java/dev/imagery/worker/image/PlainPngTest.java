package dev.imagery.worker.image;

import static dev.imagery.worker.image.PlainJpegTest.assertSamePixels;
import static dev.imagery.worker.image.PlainJpegTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.color.ColorSpace;
import java.awt.Transparency;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.InflaterInputStream;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.imagery.test.corpus.Corpus;
import dev.imagery.worker.image.SepiaSettings.DeflateStrategy;
import dev.imagery.worker.image.SepiaSettings.PngFilter;

class PlainPngTest {

    private static final long LIMIT = 100_000_000;

    @ParameterizedTest
    @ValueSource(strings = {"photos/small_0.3MP_chelsea.png", "edge/alpha_rgba_blackbug.png",
            "edge/alpha_rgba_small.png", "edge/16bit_rgba_basn6a16.png", "edge/16bit_rgb_monkey16.png"})
    void decodesRgbAndRgbaPngsOf8And16BitsToExactlyImageIosPixels(String name) throws Exception {
        Path file = Corpus.path(name);
        BufferedImage fast = decode(Files.readAllBytes(file));
        assertThat(fast).as("a plain PNG").isNotNull();
        assertSamePixels(fast, ImageIO.read(file.toFile()));
    }

    @Test
    void undoesEveryRowFilterAsImageIoDoes(@TempDir Path dir) throws Exception {
        // The JDK's writer and Imagery's ADAPTIVE pick a filter per row (all five occur on noisy gradients).
        // Both layouts, opaque and with alpha.
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR}) {
            BufferedImage source = gradientWithNoise(301, 97, type);
            ByteArrayOutputStream jdk = new ByteArrayOutputStream();
            ImageIO.write(source, "png", jdk);
            for (byte[] png : new byte[][] {jdk.toByteArray(), imagery(source, PngFilter.PAETH),
                    imagery(source, PngFilter.ADAPTIVE)}) {
                BufferedImage fast = decode(png);
                assertThat(fast).isNotNull();
                assertSamePixels(fast, ImageIO.read(new ByteArrayInputStream(png)));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"grey", "grey with alpha", "16-bit grey", "16-bit grey with alpha", "16-bit RGB",
            "16-bit RGB with alpha"})
    void decodesGreyAnd16BitPngsToExactlyImageIosPixels(String kind) throws Exception {
        // The JDK's writer keeps these layouts as PNG colour types 0, 4, 2 and 6 at 8 or 16 bits, but leaves their
        // rows unfiltered; filtered again here with all five filters in turn, they meet 1- to 8-byte pixels.
        // ImageIO's pixels, made standard, are grey copied to R, G and B and 16-bit samples rounded to 8 bits.
        BufferedImage source = deepOrGrey(kind, 211, 67);
        ByteArrayOutputStream jdk = new ByteArrayOutputStream();
        assertThat(ImageIO.write(source, "png", jdk)).isTrue();
        byte[] png = withEveryFilter(jdk.toByteArray());
        assertThat(png[24]).as("bit depth").isEqualTo((byte) (kind.startsWith("16-bit") ? 16 : 8));
        assertThat(png[25]).as("colour type")
                .isEqualTo((byte) ((kind.contains("grey") ? 0 : 2) + (kind.contains("alpha") ? 4 : 0)));
        BufferedImage fast = decode(png);
        assertThat(fast).as("decoded here, not left to ImageIO").isNotNull();
        assertThat(fast.getColorModel().hasAlpha()).isEqualTo(kind.contains("alpha"));
        assertSamePixels(fast, ImageIO.read(new ByteArrayInputStream(png)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void decodesGreyOfFewerThan8BitsToExactlyImageIosPixels(int bits) throws Exception {
        // The JDK writes an image of a grey ramp palette as grey of that many bits (PNG colour type 0); 211 pixels a
        // row leave the last byte of each row part-filled.
        BufferedImage source = packedGrey(bits, 211, 67);
        ByteArrayOutputStream jdk = new ByteArrayOutputStream();
        assertThat(ImageIO.write(source, "png", jdk)).isTrue();
        byte[] png = withEveryFilter(jdk.toByteArray());
        assertThat(png[24]).as("bit depth").isEqualTo((byte) bits);
        assertThat(png[25]).as("colour type").isEqualTo((byte) 0);
        BufferedImage fast = decode(png);
        assertThat(fast).as("decoded here, not left to ImageIO").isNotNull();
        assertSamePixels(fast, ImageIO.read(new ByteArrayInputStream(png)));
    }

    @Test
    void carriesRowsAcrossBlocksWhileThePoolUnfilters() throws Exception {
        // 3.5 MB of rows: four blocks of about a megabyte, so each buffer is reused and every block's first row
        // is unfiltered against the last row of the block before.
        BufferedImage source = gradientWithNoise(1201, 977, BufferedImage.TYPE_3BYTE_BGR);
        for (byte[] png : new byte[][] {imagery(source, PngFilter.ADAPTIVE), imagery(source, PngFilter.PAETH)}) {
            BufferedImage fast = decode(png);
            assertThat(fast).isNotNull();
            assertSamePixels(fast, source);
        }
    }

    @Test
    void readsImageDataSplitOverIdatChunksOfAnySize() throws Exception {
        // Encoders cut the zlib stream where they like: here its two-byte header falls into two chunks, and the
        // rest into chunks of a few bytes and of more than the reader takes at once.
        BufferedImage source = gradientWithNoise(701, 233, BufferedImage.TYPE_3BYTE_BGR);
        byte[] png = imagery(source, PngFilter.PAETH);
        for (int[] sizes : new int[][] {{1, 1, 3, 7, 100_000}, {2, 65_537}, {150_000}}) {
            BufferedImage fast = decode(rechunked(png, sizes));
            assertThat(fast).as("chunks of %s bytes", Arrays.toString(sizes)).isNotNull();
            assertSamePixels(fast, source);
        }
    }

    @Test
    void leavesDamagedImageDataToImageIo() throws Exception {
        byte[] png = imagery(gradientWithNoise(301, 97, BufferedImage.TYPE_3BYTE_BGR), PngFilter.PAETH);
        byte[] data = idat(png);
        byte[] presetDictionary = data.clone();
        presetDictionary[1] = (byte) (presetDictionary[1] | 0x20);
        presetDictionary[1] = (byte) (presetDictionary[1] + 31 - ((presetDictionary[0] & 0xFF) * 256
                + (presetDictionary[1] & 0xFF)) % 31); // the check bits right again
        byte[] notDeflate = data.clone();
        notDeflate[0] = 0x79;
        byte[] garbled = data.clone();
        for (int i = 2; i < 40; i++) {
            garbled[i] = (byte) 0xFF; // no valid deflate block starts so
        }
        for (byte[] broken : new byte[][] {presetDictionary, notDeflate, garbled}) {
            assertThat(decode(withIdat(png, broken))).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"RGB", "RGB with alpha", "grey", "16-bit RGB with alpha", "1-bit grey", "2-bit grey",
            "4-bit grey"})
    void decodesInterlacedPngsToExactlyImageIosPixels(String kind) throws Exception {
        // Adam7's seven passes at sizes that leave some passes one column or row short, or empty (3×2); packed grey
        // rows of a pass end in a part-filled byte too.
        for (int[] size : new int[][] {{211, 67}, {9, 9}, {3, 2}, {1, 1}}) {
            BufferedImage source = kind.startsWith("RGB")
                    ? gradientWithNoise(size[0], size[1], kind.contains("alpha") ? BufferedImage.TYPE_4BYTE_ABGR
                            : BufferedImage.TYPE_3BYTE_BGR)
                    : kind.matches("[124]-bit grey") ? packedGrey(kind.charAt(0) - '0', size[0], size[1])
                    : deepOrGrey(kind, size[0], size[1]);
            byte[] png = interlaced(source);
            assertThat(png[28]).as("interlace method").isEqualTo((byte) 1);
            assertThat(png[24]).as("bit depth").isEqualTo((byte) (kind.startsWith("16-bit") ? 16
                    : kind.matches("[124]-bit grey") ? kind.charAt(0) - '0' : 8));
            BufferedImage fast = decode(png);
            assertThat(fast).as("%s %dx%d decoded here", kind, size[0], size[1]).isNotNull();
            assertSamePixels(fast, ImageIO.read(new ByteArrayInputStream(png)));
        }
        byte[] corpus = Files.readAllBytes(Corpus.path("edge/interlaced_basi2c08.png"));
        assertThat(decode(corpus)).isNotNull();
        assertSamePixels(decode(corpus), ImageIO.read(new ByteArrayInputStream(corpus)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RGB", "16-bit RGB", "grey", "16-bit grey", "interlaced RGB", "interlaced 16-bit grey"})
    void makesExactlyThePixelsOfTheTransparentColourTransparentAsImageIoDoes(String kind) throws Exception {
        // The key's colour at two places at least; beside one, a pixel a single step off in its first sample, which
        // at 16 bits rounds to the key's 8-bit colour and must stay opaque all the same (PNG compares the file's
        // samples).
        String layout = kind.replace("interlaced ", "");
        BufferedImage source = layout.equals("RGB") ? gradientWithNoise(61, 37, BufferedImage.TYPE_3BYTE_BGR)
                : deepOrGrey(layout, 61, 37);
        int step = layout.startsWith("16-bit") ? 257 : 1;
        int[] key = layout.contains("grey") ? new int[] {100 * step} : new int[] {100 * step, 150 * step, 200 * step};
        int[] nearKey = key.clone();
        nearKey[0]++;
        source.getRaster().setPixel(7, 5, key);
        source.getRaster().setPixel(60, 36, key);
        source.getRaster().setPixel(8, 5, nearKey);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        ImageIO.write(source, "png", written);
        byte[] png = withChunk(kind.startsWith("interlaced") ? interlaced(source) : written.toByteArray(), "tRNS",
                colourKey(key));

        BufferedImage fast = decode(png);

        assertThat(fast).as("decoded here, not left to ImageIO").isNotNull();
        assertSamePixels(fast, ImageIO.read(new ByteArrayInputStream(png)));
        assertThat(fast.getRaster().getSample(7, 5, 3)).isZero();
        assertThat(fast.getRaster().getSample(60, 36, 3)).isZero();
        assertThat(fast.getRaster().getSample(8, 5, 3)).isEqualTo(255);
        for (int y = 0; y < 37; y++) {
            for (int x = 0; x < 61; x++) {
                boolean keyed = Arrays.equals(source.getRaster().getPixel(x, y, (int[]) null), key);
                assertThat(fast.getRaster().getSample(x, y, 3)).as("alpha at %d, %d", x, y).isEqualTo(keyed ? 0 : 255);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1-bit", "2-bit", "4-bit", "interlaced 1-bit", "interlaced 4-bit"})
    void makesTheTransparentLevelOfGreyInFewerThan8BitsTransparentAsThePngSpecificationSays(String kind)
            throws Exception {
        int bits = kind.charAt(kind.length() - 5) - '0';
        BufferedImage source = packedGrey(bits, 61, 37);
        int key = (1 << bits) / 2; // a level the pattern has, neither black nor white
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        ImageIO.write(source, "png", written);
        byte[] png = withChunk(kind.startsWith("interlaced") ? interlaced(source) : written.toByteArray(), "tRNS",
                colourKey(new int[] {key}));

        BufferedImage fast = decode(png);

        assertThat(fast).as("decoded here, not left to ImageIO").isNotNull();
        // ImageIO's colours; but its alpha compares the key with the level scaled to 8 bits (key 255 makes a 1-bit
        // image's white transparent, key 1 nothing), where the specification (11.3.2.1) says the file's samples.
        BufferedImage imageIo = StandardImage.of(ImageIO.read(new ByteArrayInputStream(png)), StandardImage::create);
        assertThat(colours(fast)).isEqualTo(colours(imageIo));
        for (int y = 0; y < 37; y++) {
            for (int x = 0; x < 61; x++) {
                boolean keyed = source.getRaster().getSample(x, y, 0) == key;
                assertThat(fast.getRaster().getSample(x, y, 3)).as("alpha at %d, %d", x, y).isEqualTo(keyed ? 0 : 255);
            }
        }
    }

    /** A tRNS chunk's data for grey or RGB: each sample in two bytes. */
    private static byte[] colourKey(int[] samples) {
        ByteBuffer key = ByteBuffer.allocate(2 * samples.length);
        for (int sample : samples) {
            key.putShort((short) sample);
        }
        return key.array();
    }

    @ParameterizedTest
    @ValueSource(strings = {"edge/palette_indexed.png", "edge/palette_trns_tbbn3p08.png",
            "edge/truncated_10000B.png"})
    void leavesPalettedAndCutFilesToImageIo(String name) throws Exception {
        assertThat(decode(Files.readAllBytes(Corpus.path(name)))).isNull();
    }

    @ParameterizedTest
    @ValueSource(ints = {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR})
    void convertsAMatrixProfileToSrgbAsColourManagementDoesAndKeepsSrgbAsItIs(int type) throws Exception {
        byte[] png = imagery(gradientWithNoise(64, 48, type), PngFilter.PAETH);
        BufferedImage untagged = decode(png);
        byte[] srgb = bytes(decode(withIccp(png, ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData())));
        assertThat(srgb).isEqualTo(bytes(untagged));

        BufferedImage converted = decode(withIccp(png, RgbProfileTest.adobeRgb().getData()));
        byte[] colours = colours(converted);
        byte[] managed = RgbProfileTest.managed(colours(untagged), 64, 48, RgbProfileTest.adobeRgb());
        assertThat(TurboJpegTest.worstDifference(colours, managed)).isLessThanOrEqualTo(1);
        assertThat(TurboJpegTest.worstDifference(colours, colours(untagged))).as("the colours changed").isGreaterThan(10);
        if (type == BufferedImage.TYPE_4BYTE_ABGR) {
            for (int p = 0; p < colours.length / 3; p++) {
                assertThat(bytes(converted)[p * 4]).as("alpha of pixel %d", p).isEqualTo(bytes(untagged)[p * 4]);
            }
        }
    }

    /** The BGR bytes of a standard image, alpha left out. */
    private static byte[] colours(BufferedImage image) {
        int bands = image.getRaster().getNumBands();
        byte[] pixels = bytes(image);
        byte[] colours = new byte[image.getWidth() * image.getHeight() * 3];
        for (int p = 0; p < colours.length / 3; p++) {
            System.arraycopy(pixels, p * bands + bands - 3, colours, p * 3, 3);
        }
        return colours;
    }

    @ParameterizedTest
    @ValueSource(strings = {"grey", "grey with alpha", "16-bit grey"})
    void keepsTheSamplesOfGreyWithAGreyProfileAsImageIoDoes(String kind) throws Exception {
        ByteArrayOutputStream jdk = new ByteArrayOutputStream();
        assertThat(ImageIO.write(deepOrGrey(kind, 97, 61), "png", jdk)).isTrue();
        byte[] png = withIccp(jdk.toByteArray(), ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData());
        BufferedImage fast = decode(png);
        assertThat(fast).as("decoded here, not left to ImageIO").isNotNull();
        assertSamePixels(fast, ImageIO.read(new ByteArrayInputStream(png)));
    }

    @Test
    void leavesAProfileItCannotApplyToImageIo() throws Exception {
        byte[] png = imagery(gradientWithNoise(64, 48, BufferedImage.TYPE_3BYTE_BGR), PngFilter.PAETH);
        assertThat(decode(withIccp(png, ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData()))).isNull();
    }

    @Test
    void allocatesNothingForAChunkThatClaimsGigabytes() throws Exception {
        byte[] png = imagery(gradientWithNoise(64, 48, BufferedImage.TYPE_3BYTE_BGR), PngFilter.PAETH);
        byte[] lying = ByteBuffer.allocate(33 + 8).put(png, 0, 33).putInt(Integer.MAX_VALUE).putInt(0x69434350).array();
        assertThat(decode(lying)).isNull();
    }

    @Test
    void refusesADecompressionBombFromItsHeaderAlone() {
        // An RGB header claiming 65536 × 65536 pixels and nothing else: refused before anything is allocated.
        byte[] header = ByteBuffer.allocate(33).putLong(0x89504E470D0A1A0AL).putInt(13).putInt(0x49484452)
                .putInt(65536).putInt(65536).put(new byte[] {8, 2, 0, 0, 0}).putInt(0).array();
        assertThatThrownBy(() -> decode(header))
                .isInstanceOf(UnprocessableImageException.class).hasMessageContaining("too large");
    }

    private static BufferedImage decode(byte[] png) throws IOException, UnprocessableImageException {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(png))) {
            return PlainPng.decode(in, (width, height) -> ImageDecoder.checkSize(width, height, LIMIT));
        }
    }

    /** The PNG with an iCCP chunk (the profile deflated, as the format says) right after its header. */
    private static byte[] withIccp(byte[] png, byte[] profile) {
        byte[] compressed = deflated(profile);
        return withChunk(png, "iCCP", ByteBuffer.allocate(6 + compressed.length)
                .put("sRGB\0\0".getBytes(StandardCharsets.US_ASCII)).put(compressed).array());
    }

    /** The PNG with a chunk of that type and data right after its header. */
    private static byte[] withChunk(byte[] png, String type, byte[] data) {
        byte[] chunk = chunk(type, data);
        return ByteBuffer.allocate(png.length + chunk.length).put(png, 0, 33).put(chunk)
                .put(png, 33, png.length - 33).array();
    }

    private static byte[] imagery(BufferedImage image, PngFilter filter) {
        SepiaSettings settings = SepiaSettings.defaults().withPng(1, filter, DeflateStrategy.DEFAULT, false);
        return PngEncoding.encode(image, settings).toByteArray();
    }

    /** Grey of 1, 2 or 4 bits (a ramp palette, which the JDK's writer keeps as PNG grey of that depth), patterned. */
    private static BufferedImage packedGrey(int bits, int width, int height) {
        int levels = 1 << bits;
        byte[] ramp = new byte[levels];
        for (int i = 0; i < levels; i++) {
            ramp[i] = (byte) (i * 255 / (levels - 1));
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_BINARY,
                new IndexColorModel(bits, levels, ramp, ramp, ramp));
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, (x * 7 + y * 3 + x * y) % levels);
            }
        }
        return image;
    }

    /** The image as an Adam7-interlaced PNG, written by the JDK's writer (which filters 8-bit RGB rows adaptively). */
    private static byte[] interlaced(BufferedImage image) throws IOException {
        return ImageWriters.write(ImageIO.getImageWritersByFormatName("png").next(), image,
                param -> param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT));
    }

    /**
     * The PNG (header, then unfiltered rows in its IDAT chunks) with row y filtered by filter y % 5 (PNG 9.2), in
     * one IDAT chunk: a reference encoder for the filters, independent of Imagery's.
     */
    private static byte[] withEveryFilter(byte[] png) throws Exception {
        ByteBuffer header = ByteBuffer.wrap(png, 16, 10);
        int width = header.getInt();
        int height = header.getInt();
        int depth = header.get();
        int channels = switch (header.get()) {
            case 0 -> 1;
            case 4 -> 2;
            case 2 -> 3;
            default -> 4;
        };
        int bpp = Math.max(1, channels * depth / 8); // packed pixels of 1, 2 or 4 bits: the byte before
        int stride = (width * channels * depth + 7) / 8;
        byte[] rows = new InflaterInputStream(new ByteArrayInputStream(idat(png))).readAllBytes();
        assertThat(rows).hasSize((stride + 1) * height);
        byte[] filtered = new byte[rows.length];
        for (int y = 0; y < height; y++) {
            int at = y * (stride + 1);
            assertThat(rows[at]).as("the JDK's filter for row %d", y).isZero();
            int filter = y % 5;
            filtered[at] = (byte) filter;
            for (int i = 1; i <= stride; i++) {
                int x = rows[at + i] & 0xFF;
                int a = i > bpp ? rows[at + i - bpp] & 0xFF : 0;
                int b = y > 0 ? rows[at - stride - 1 + i] & 0xFF : 0;
                int c = i > bpp && y > 0 ? rows[at - stride - 1 + i - bpp] & 0xFF : 0;
                int predicted = switch (filter) {
                    case 0 -> 0;
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) / 2;
                    default -> PngWriterTest.specPaeth(a, b, c);
                };
                filtered[at + i] = (byte) (x - predicted);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        out.write(chunk("IDAT", deflated(filtered)));
        out.write(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /** The PNG's image data: the zlib stream, its IDAT chunks joined. */
    private static byte[] idat(byte[] png) {
        ByteBuffer in = ByteBuffer.wrap(png, 33, png.length - 33);
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        while (in.remaining() > 12) {
            int length = in.getInt();
            int type = in.getInt();
            if (type == 0x49444154) {
                idat.write(png, in.position(), length);
            }
            in.position(in.position() + length + 4);
        }
        return idat.toByteArray();
    }

    /** The PNG with its image data cut into IDAT chunks of the given sizes, the last size repeated to the end. */
    private static byte[] rechunked(byte[] png, int... sizes) throws IOException {
        return withIdat(png, idat(png), sizes);
    }

    /**
     * The PNG's header with {@code data} as its image data, in IDAT chunks of the given sizes (the last repeated to
     * the end), or in one chunk.
     */
    private static byte[] withIdat(byte[] png, byte[] data, int... sizes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, 33);
        for (int at = 0, k = 0; at < data.length; k = Math.min(k + 1, sizes.length - 1)) {
            int n = sizes.length == 0 ? data.length : Math.min(sizes[k], data.length - at);
            out.write(chunk("IDAT", Arrays.copyOfRange(data, at, at + n)));
            at += n;
        }
        out.write(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    private static byte[] deflated(byte[] data) {
        Deflater deflater = new Deflater();
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static byte[] chunk(String type, byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(type.getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        return ByteBuffer.allocate(12 + data.length).putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII))
                .put(data).putInt((int) crc.getValue()).array();
    }

    /** Noisy gradients in grey or 16-bit layouts; alpha, where there is some, runs from 0 to opaque. */
    private static BufferedImage deepOrGrey(String kind, int width, int height) {
        boolean grey = kind.contains("grey");
        boolean alpha = kind.contains("alpha");
        boolean deep = kind.startsWith("16-bit");
        int bands = (grey ? 1 : 3) + (alpha ? 1 : 0);
        int max = deep ? 65535 : 255;
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(grey ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB),
                alpha, false, alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
                deep ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE);
        WritableRaster raster = cm.createCompatibleWritableRaster(width, height);
        Random random = new Random(11);
        int[] pixel = new int[bands];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int b = 0; b < bands; b++) {
                    long ramp = (long) (x + 3 * y + 40 * b) * max / (width + 3 * height);
                    boolean alphaBand = alpha && b == bands - 1;
                    pixel[b] = (int) (alphaBand ? (long) x * max / Math.max(1, width - 1)
                            : (ramp + random.nextInt(max / 10)) % (max + 1));
                }
                raster.setPixel(x, y, pixel);
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }

    private static BufferedImage gradientWithNoise(int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        Random random = new Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int noise = random.nextInt(24);
                int alpha = type == BufferedImage.TYPE_4BYTE_ABGR ? (x * 255 / width) : 255;
                image.setRGB(x, y, alpha << 24 | (x + noise) % 256 << 16 | (y * 2 + noise) % 256 << 8 | (x + y) % 256);
            }
        }
        return image;
    }
}
