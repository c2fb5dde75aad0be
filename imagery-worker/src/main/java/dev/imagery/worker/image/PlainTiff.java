package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import javax.imageio.stream.ImageInputStream;

/**
 * The plain TIFF: the first image of the file, in strips or tiles, grey, grey and alpha, RGB, RGBA or CMYK, 8 or 16
 * bits a sample, or indices into a palette of 256 colours; uncompressed or compressed with LZW, Deflate or PackBits,
 * with or without the horizontal predictor, no colour profile, or an RGB one for RGB ({@link RgbProfile}), a CMYK one
 * for CMYK ({@link CmykProfile}) and a grey one for grey (whose samples are kept, as on ImageIO's path): what
 * scanners, editors, print workflows and ImageMagick write. Decoded here straight into the standard layout
 * ({@link SampleRows}), on all cores, since each strip or tile stands alone. TwelveMonkeys' LZW decoder in Java took
 * 41 % of the sepia job on a 4.1 MP LZW TIFF, which was slower than sharp, and more of a CMYK one's
 * (docs/PERFORMANCE.md). Samples interleaved or in separate planes. Anything else (smaller palettes, CMYK with alpha,
 * premultiplied alpha, JPEG inside, other profiles) and any damaged file goes to ImageIO, which also says what is
 * wrong. A strip is handled as a tile as wide as the image, as the TIFF specification describes tiles.
 */
final class PlainTiff {

    private static final int WIDTH = 256;
    private static final int HEIGHT = 257;
    private static final int BITS_PER_SAMPLE = 258;
    private static final int COMPRESSION = 259;
    private static final int PHOTOMETRIC = 262;
    private static final int FILL_ORDER = 266;
    private static final int STRIP_OFFSETS = 273;
    private static final int SAMPLES_PER_PIXEL = 277;
    private static final int ROWS_PER_STRIP = 278;
    private static final int STRIP_BYTE_COUNTS = 279;
    private static final int PLANAR_CONFIGURATION = 284;
    private static final int PREDICTOR = 317;
    private static final int COLOR_MAP = 320;
    private static final int TILE_WIDTH = 322;
    private static final int TILE_LENGTH = 323;
    private static final int TILE_OFFSETS = 324;
    private static final int TILE_BYTE_COUNTS = 325;
    private static final int INK_SET = 332;
    private static final int EXTRA_SAMPLES = 338;
    private static final int SAMPLE_FORMAT = 339;
    private static final int ICC_PROFILE = 34675;

    private static final int NONE = 1;
    private static final int LZW = 5;
    private static final int DEFLATE = 8;
    private static final int OLD_DEFLATE = 32946;
    private static final int PACKBITS = 32773;
    private static final int BLACK_IS_ZERO = 1;
    private static final int RGB = 2;
    private static final int PALETTE = 3;
    private static final int SEPARATED = 5;
    private static final int CMYK_INKS = 1;
    private static final int UNASSOCIATED_ALPHA = 2;
    private static final int HORIZONTAL = 2;
    private static final int SEPARATE_PLANES = 2;
    /** Strips or tiles: a row a strip for 65 536 rows; more is not a file to allocate the offsets of. */
    private static final int MAX_TILES = 1 << 16;
    /** A tile's decompressed bytes at most (a 2048 × 2048 tile of 16-bit RGBA): more goes to ImageIO. */
    private static final int MAX_TILE_BYTES = 1 << 25;

    private PlainTiff() {
    }

    /**
     * The layout of the first image, from its directory (IFD): tiles of {@code tileWidth} × {@code tileHeight} pixels,
     * left to right and top to bottom, {@code tileHeight} no taller than the image; a strip is a tile as wide as the
     * image. Tiles at the right and bottom edges are stored whole, beyond the image: those pixels are dropped. With
     * separate {@code planes}, each tile is stored once for each sample, all of the first sample's tiles first.
     */
    private record Layout(SampleRows samples, int height, int compression, boolean predictor, boolean planes,
            int tileWidth, int tileHeight, long[] offsets, long[] counts, RgbProfile profile, CmykProfile inks) {

        /** Rows stored straight from the file: uncompressed, no predictor, samples interleaved. */
        boolean direct() {
            return compression == NONE && !predictor && !planes;
        }

        /**
         * 16-bit and CMYK strips, all tiles to decompress and all separate planes go through a scratch array of a
         * tile, since their rows are wider than the image's, or are not whole rows of it, or must be interleaved; 8-bit
         * strips are decompressed into the image. The
         * array is as large as the file's pixels where the whole image is one strip (Photoshop writes it so), which
         * is what ImageIO would allocate for them.
         */
        boolean scratched() {
            return planes || !direct() && (samples.sampleBytes() == 2 || samples.cmyk() || inks != null
                    || tileWidth != samples.width());
        }

        /** Tiles in the image (each stored once a plane with separate planes). */
        int tiles() {
            return offsets.length / (planes ? samples.channels() : 1);
        }

        /** Tiles a row of them. */
        int across() {
            return (samples.width() + tileWidth - 1) / tileWidth;
        }

        /** Bytes a row of a tile in the file. */
        int tileRowBytes() {
            return tileWidth * samples.pixelBytes();
        }

        /** Pixels in a tile, as stored (a strip at the bottom may have fewer rows). */
        int tilePixels() {
            return tileWidth * tileHeight;
        }
    }

    /**
     * Decodes the TIFF in {@code in} (from its start), or returns null when it does not qualify or cannot be decoded
     * here: the caller then seeks back and lets ImageIO read it.
     */
    static BufferedImage decode(ImageInputStream in, ImageDecoder.Admission admission)
            throws IOException, UnprocessableImageException {
        byte[] file = PlainJpeg.readAll(in);
        Layout layout = layout(new TiffDirectory(file, 0), admission);
        if (layout == null) {
            return null;
        }
        SampleRows samples = layout.samples();
        BufferedImage image = admission.allocate(samples.width(), layout.height(), samples.alpha());
        byte[] out = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        AtomicBoolean failed = new AtomicBoolean();
        int tiles = layout.tiles();
        // Bands of whole tiles; PixelBands waits for every band, so none writes into the image once this returns.
        PixelBands.run(tiles * layout.tilePixels(), true,
                (from, to) -> new Tiles(file, layout, out, failed).decode(from, to));
        if (failed.get()) {
            return null;
        }
        if (layout.profile() != null) {
            layout.profile().toSrgb(image);
        }
        if (layout.inks() != null) {
            return layout.inks().toSrgb(out, samples.width(), layout.height(), false);
        }
        return image;
    }

    /** The layout, or null when the file is not one for this decoder; its size is admitted first. */
    private static Layout layout(TiffDirectory ifd, ImageDecoder.Admission admission)
            throws UnprocessableImageException, IOException {
        if (!ifd.valid()) {
            return null;
        }
        long width = ifd.value(WIDTH, 0);
        long height = ifd.value(HEIGHT, 0);
        int channels = (int) ifd.value(SAMPLES_PER_PIXEL, 1);
        int bits = (int) ifd.value(BITS_PER_SAMPLE, 1);
        int compression = (int) ifd.value(COMPRESSION, NONE);
        int photometric = (int) ifd.value(PHOTOMETRIC, -1);
        int predictor = (int) ifd.value(PREDICTOR, 1);
        int planar = (int) ifd.value(PLANAR_CONFIGURATION, 1);
        boolean cmyk = photometric == SEPARATED && channels == 4 && !ifd.has(EXTRA_SAMPLES)
                && ifd.value(INK_SET, CMYK_INKS) == CMYK_INKS;
        long[] colorMap = photometric == PALETTE ? ifd.values(COLOR_MAP) : null;
        boolean indexed = colorMap != null && colorMap.length == 3 * 256 && channels == 1 && bits == 8
                && !ifd.has(EXTRA_SAMPLES);
        boolean plain = width > 0 && height > 0 && width * channels * 2 <= Integer.MAX_VALUE
                && channels >= 1 && channels <= 4 && (bits == 8 || bits == 16) && ifd.allEqual(BITS_PER_SAMPLE, bits)
                && (cmyk || indexed || photometric == (channels <= 2 ? BLACK_IS_ZERO : RGB)
                        && (channels % 2 == 1 ? !ifd.has(EXTRA_SAMPLES)
                                : ifd.value(EXTRA_SAMPLES, -1) == UNASSOCIATED_ALPHA && ifd.count(EXTRA_SAMPLES) == 1))
                && (compression == NONE || compression == LZW || compression == DEFLATE || compression == OLD_DEFLATE
                        || compression == PACKBITS)
                && (predictor == 1 || predictor == HORIZONTAL)
                && (planar == 1 || planar == SEPARATE_PLANES) && ifd.value(FILL_ORDER, 1) == 1
                && ifd.allEqual(SAMPLE_FORMAT, 1);
        if (!plain) {
            return null;
        }
        admission.admit(width, height);
        SampleRows samples = indexed ? SampleRows.indexed((int) width, palette(colorMap))
                : new SampleRows((int) width, channels, bits / 8, ifd.littleEndian(), cmyk);
        boolean tiled = ifd.has(TILE_WIDTH);
        long tileWidth = tiled ? ifd.value(TILE_WIDTH, 0) : width;
        // A tile taller than the image holds one row of tiles: its rows past the image are never read.
        long tileHeight = Math.min(height, tiled ? ifd.value(TILE_LENGTH, 0) : ifd.value(ROWS_PER_STRIP, height));
        if (tileWidth < 1 || tileHeight < 1
                || tiled && tileWidth * tileHeight * samples.pixelBytes() > MAX_TILE_BYTES) {
            return null;
        }
        long tiles = ((width + tileWidth - 1) / tileWidth) * ((height + tileHeight - 1) / tileHeight);
        long stored = planar == SEPARATE_PLANES ? tiles * channels : tiles;
        int offsetsTag = tiled ? TILE_OFFSETS : STRIP_OFFSETS;
        int countsTag = tiled ? TILE_BYTE_COUNTS : STRIP_BYTE_COUNTS;
        if (stored > MAX_TILES || tiles * tileWidth * tileHeight > Integer.MAX_VALUE
                || ifd.count(offsetsTag) != stored || ifd.count(countsTag) != stored) {
            return null;
        }
        long[] offsets = ifd.values(offsetsTag);
        long[] counts = ifd.values(countsTag);
        if (offsets == null || counts == null) {
            return null;
        }
        for (int s = 0; s < stored; s++) {
            if (offsets[s] < 0 || counts[s] < 0 || offsets[s] + counts[s] > ifd.length()) {
                return null;
            }
        }
        RgbProfile profile = null;
        CmykProfile inks = null;
        if (ifd.has(ICC_PROFILE)) {
            byte[] icc = ifd.bytes(ICC_PROFILE);
            if (icc == null) {
                return null;
            }
            if (cmyk) {
                // Inks with their print profile: kept as they are (SampleRows stores four samples reversed, as for
                // RGBA) and converted once all are decoded. TwelveMonkeys and Java's colour management took 0.9 s
                // for 4.1 MP.
                inks = CmykProfile.of(icc);
                if (inks == null) {
                    return null; // not a CMYK profile Java can use
                }
                samples = new SampleRows((int) width, channels, bits / 8, ifd.littleEndian(), false);
            } else if (channels <= 2) {
                // A grey profile (a scanner's, say) leaves the samples as they are, as on ImageIO's path.
                if (indexed || !StandardImage.keepsSamples(icc)) {
                    return null;
                }
            } else {
                profile = RgbProfile.parse(icc);
                if (profile == null) {
                    return null; // not a profile the conversion knows
                }
                profile = profile.isSrgb() ? null : profile;
            }
        }
        return new Layout(samples, (int) height, compression, predictor == HORIZONTAL, planar == SEPARATE_PLANES,
                (int) tileWidth, (int) tileHeight, offsets, counts, profile, inks);
    }

    /**
     * A ColorMap's 16-bit reds, then greens, then blues, as the blue, green and red bytes of each index: the high
     * byte, as TwelveMonkeys reads a palette.
     */
    private static byte[] palette(long[] colorMap) {
        byte[] palette = new byte[3 * 256];
        for (int i = 0; i < 256; i++) {
            palette[3 * i] = (byte) (colorMap[512 + i] >> 8);
            palette[3 * i + 1] = (byte) (colorMap[256 + i] >> 8);
            palette[3 * i + 2] = (byte) (colorMap[i] >> 8);
        }
        return palette;
    }

    /**
     * One band's tiles. 8-bit strips are decompressed straight into the image, where their rows take no more room
     * than the standard layout does, and widened in place; the others go through a scratch array.
     */
    private static final class Tiles {
        private final byte[] file;
        private final Layout layout;
        private final SampleRows samples;
        private final byte[] out;
        private final AtomicBoolean failed;
        private byte[] scratch;
        private byte[] plane;
        private Lzw lzw;
        private Inflater inflater;

        Tiles(byte[] file, Layout layout, byte[] out, AtomicBoolean failed) {
            this.file = file;
            this.layout = layout;
            this.samples = layout.samples();
            this.out = out;
            this.failed = failed;
        }

        /** The tiles whose first pixel is in [from, to), as {@link PixelBands} splits the tiles' pixels. */
        void decode(int from, int to) {
            int tilePixels = layout.tilePixels();
            try {
                int first = (from + tilePixels - 1) / tilePixels;
                for (int t = first; t * (long) tilePixels < to && !failed.get(); t++) {
                    if (!tile(t)) {
                        failed.set(true);
                    }
                }
            } catch (DataFormatException | RuntimeException e) {
                failed.set(true); // ImageIO will say what is wrong
            } finally {
                if (inflater != null) {
                    inflater.end();
                }
            }
        }

        private boolean tile(int t) throws DataFormatException {
            int x = t % layout.across() * layout.tileWidth();
            int y = t / layout.across() * layout.tileHeight();
            int pixels = Math.min(layout.tileWidth(), samples.width() - x); // of a row, in the image
            int rows = Math.min(layout.tileHeight(), layout.height() - y);
            int rowBytes = layout.tileRowBytes();
            int length = rows * rowBytes;
            int at = (int) layout.offsets()[t];
            int count = (int) layout.counts()[t];
            int outRow = samples.outRowBytes();
            int outAt = y * outRow + x * samples.outPixelBytes();
            if (layout.direct()) {
                if (count < length) {
                    return false;
                }
                for (int r = 0; r < rows; r++) {
                    samples.store(file, at + r * rowBytes, out, outAt + r * outRow, pixels);
                }
                return true;
            }
            if (!layout.scratched()) { // a strip: whole rows of the image
                if (decompress(at, count, out, outAt, outAt + length) < length) {
                    return false;
                }
                if (layout.predictor()) {
                    undoPredictor(out, outAt, rows, rowBytes, samples.pixelBytes());
                }
                toStandard(out, outAt, rows * pixels, samples);
                return true;
            }
            if (scratch == null) {
                scratch = new byte[layout.tileHeight() * rowBytes];
            }
            if (layout.planes()) {
                if (!interleavePlanes(t, rows)) {
                    return false;
                }
            } else {
                if (decompress(at, count, scratch, 0, length) < length) {
                    return false;
                }
                if (layout.predictor()) {
                    undoPredictor(scratch, 0, rows, rowBytes, samples.pixelBytes());
                }
            }
            for (int r = 0; r < rows; r++) {
                samples.store(scratch, r * rowBytes, out, outAt + r * outRow, pixels);
            }
            return true;
        }

        /** Tile {@code t}'s planes, one after the other, each sample laid into its place in the scratch tile. */
        private boolean interleavePlanes(int t, int rows) throws DataFormatException {
            int sampleBytes = samples.sampleBytes();
            int pixelBytes = samples.pixelBytes();
            int planeRowBytes = layout.tileWidth() * sampleBytes;
            int length = rows * planeRowBytes;
            if (plane == null) {
                plane = new byte[layout.tileHeight() * planeRowBytes];
            }
            for (int p = 0; p < samples.channels(); p++) {
                int s = p * layout.tiles() + t;
                if (decompress((int) layout.offsets()[s], (int) layout.counts()[s], plane, 0, length) < length) {
                    return false;
                }
                if (layout.predictor()) {
                    undoPredictor(plane, 0, rows, planeRowBytes, sampleBytes);
                }
                for (int i = 0, o = p * sampleBytes; i < length; i += sampleBytes, o += pixelBytes) {
                    scratch[o] = plane[i];
                    if (sampleBytes == 2) {
                        scratch[o + 1] = plane[i + 1];
                    }
                }
            }
            return true;
        }

        /** The tile's data into {@code into[base, end)}; the number of bytes written. */
        private int decompress(int at, int count, byte[] into, int base, int end) throws DataFormatException {
            return switch (layout.compression()) {
                case LZW -> {
                    if (lzw == null) {
                        lzw = new Lzw();
                    }
                    yield lzw.decode(file, at, at + count, into, base, end);
                }
                case PACKBITS -> unpackBits(file, at, at + count, into, base, end);
                case NONE -> {
                    int n = Math.min(count, end - base);
                    System.arraycopy(file, at, into, base, n);
                    yield n;
                }
                default -> inflate(at, count, into, base, end);
            };
        }

        private int inflate(int at, int count, byte[] into, int base, int end) throws DataFormatException {
            if (inflater == null) {
                inflater = new Inflater();
            } else {
                inflater.reset();
            }
            inflater.setInput(file, at, count);
            int o = base;
            while (o < end) {
                int n = inflater.inflate(into, o, end - o);
                if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                o += n;
            }
            return o - base;
        }

        /**
         * Horizontal differencing (TIFF 6.0 section 14) undone, row by row, on 8- or 16-bit samples: each sample was
         * stored as its difference from the same channel's sample to the left, {@code step} bytes before it.
         */
        private void undoPredictor(byte[] data, int base, int rows, int rowBytes, int step) {
            int high = samples.littleEndian() ? 1 : 0; // where a 16-bit sample's high byte is
            int low = 1 - high;
            for (int r = 0, row = base; r < rows; r++, row += rowBytes) {
                int end = row + rowBytes;
                if (samples.sampleBytes() == 1) {
                    for (int i = row + step; i < end; i++) {
                        data[i] += data[i - step];
                    }
                } else {
                    for (int i = row + step; i < end; i += 2) {
                        int sum = ((data[i + high] & 0xFF) << 8 | data[i + low] & 0xFF)
                                + ((data[i - step + high] & 0xFF) << 8 | data[i - step + low] & 0xFF);
                        data[i + high] = (byte) (sum >>> 8);
                        data[i + low] = (byte) sum;
                    }
                }
            }
        }
    }

    /**
     * 8-bit grey, palette indices, grey and alpha, RGB or RGBA pixels at {@code base}, in the file's order, to the
     * standard layout's BGR or ABGR in place. Grey and indices widen to three or four bytes a pixel: from the last
     * pixel back, so no pixel is overwritten before it is read.
     */
    private static void toStandard(byte[] d, int base, int pixels, SampleRows samples) {
        byte[] palette = samples.palette();
        switch (samples.channels()) {
            case 1 -> {
                for (int p = pixels - 1; p >= 0; p--) {
                    int o = base + 3 * p;
                    if (palette == null) {
                        byte grey = d[base + p];
                        d[o] = grey;
                        d[o + 1] = grey;
                        d[o + 2] = grey;
                    } else {
                        int colour = 3 * (d[base + p] & 0xFF);
                        d[o] = palette[colour];
                        d[o + 1] = palette[colour + 1];
                        d[o + 2] = palette[colour + 2];
                    }
                }
            }
            case 2 -> {
                for (int p = pixels - 1; p >= 0; p--) {
                    byte grey = d[base + 2 * p];
                    byte alpha = d[base + 2 * p + 1];
                    int o = base + 4 * p;
                    d[o] = alpha;
                    d[o + 1] = grey;
                    d[o + 2] = grey;
                    d[o + 3] = grey;
                }
            }
            case 3 -> {
                for (int i = base, end = base + 3 * pixels; i < end; i += 3) {
                    byte r = d[i];
                    d[i] = d[i + 2];
                    d[i + 2] = r;
                }
            }
            default -> StandardImage.abgrFromRgba(d, base, base + 4 * pixels);
        }
    }

    /** PackBits (TIFF 6.0 section 9): a count byte, then that many literal bytes or one byte repeated. */
    static int unpackBits(byte[] in, int at, int end, byte[] into, int base, int limit) {
        int o = base;
        while (at < end && o < limit) {
            int n = in[at++];
            if (n >= 0) {
                int literal = Math.min(Math.min(n + 1, end - at), limit - o);
                System.arraycopy(in, at, into, o, literal);
                at += n + 1;
                o += literal;
            } else if (n != -128 && at < end) {
                int repeat = Math.min(1 - n, limit - o);
                byte value = in[at++];
                for (int i = 0; i < repeat; i++) {
                    into[o++] = value;
                }
            }
        }
        return o - base;
    }

    /**
     * TIFF's LZW (TIFF 6.0 section 13): codes of 9 to 12 bits, the most significant bit first, the code width growing
     * one code early, as libtiff writes it. Every string in the table is a copy of output already written (the string
     * of the code before it, and one byte more), so the table holds where and how long, and decoding is copying.
     */
    static final class Lzw {
        private static final int CLEAR = 256;
        /** The first code of a string; 257 ends the data. */
        private static final int FIRST = 258;
        private static final int SIZE = 4096;
        private static final VarHandle BIG_ENDIAN_INT = MethodHandles.byteArrayViewVarHandle(int[].class,
                ByteOrder.BIG_ENDIAN);
        private static final VarHandle NATIVE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
                ByteOrder.nativeOrder());
        private final int[] offset = new int[SIZE];
        private final int[] length = new int[SIZE];

        /**
         * Decodes a strip or tile into {@code into} from {@code base}, up to {@code limit}; the number of bytes
         * written. Stops short at a code that cannot be (the count then tells), and at the end of the data without an
         * end code, as libtiff does. The old, least-significant-bit-first variant of the compression is not read (zero
         * bytes written).
         */
        int decode(byte[] in, int at, int end, byte[] into, int base, int limit) {
            if (end - at >= 2 && in[at] == 0 && (in[at + 1] & 1) != 0) {
                return 0;
            }
            long buffer = 0;
            int bits = 0;
            int width = 9;
            int next = FIRST;
            int previousAt = -1; // where the string of the code before was written (none since a clear), its length
            int previousLength = 0;
            int o = base;
            while (o < limit) {
                if (bits < width) {
                    if (end - at >= 4) {
                        buffer = buffer << 32 | (int) BIG_ENDIAN_INT.get(in, at) & 0xFFFFFFFFL;
                        at += 4;
                        bits += 32;
                    } else if (at < end) {
                        buffer = buffer << 8 | in[at++] & 0xFF;
                        bits += 8;
                        continue;
                    } else {
                        break;
                    }
                }
                bits -= width;
                int code = (int) (buffer >>> bits) & (1 << width) - 1;
                int written;
                if (code < CLEAR) {
                    into[o] = (byte) code;
                    written = 1;
                } else if (code >= FIRST && code < next) {
                    written = length[code];
                    copy(into, offset[code], o, written, limit);
                } else if (code == CLEAR) {
                    width = 9;
                    next = FIRST;
                    previousAt = -1;
                    continue;
                } else if (code == next && previousAt >= 0) {
                    // The string being defined: the one before and its own first byte.
                    written = previousLength + 1;
                    copy(into, previousAt, o, previousLength, limit);
                    if (o + previousLength < limit) {
                        into[o + previousLength] = into[previousAt];
                    }
                } else {
                    break; // the end code (257), or one that cannot be
                }
                if (previousAt >= 0 && next < SIZE) {
                    offset[next] = previousAt;
                    length[next] = previousLength + 1;
                    next++;
                    if (next == (1 << width) - 1 && width < 12) {
                        width++;
                    }
                }
                previousAt = o;
                previousLength = written;
                o += written;
            }
            return Math.min(o, limit) - base;
        }

        /**
         * Copies an earlier string of the output (it ends before {@code to}) up to the limit. Eight bytes at a time
         * where the limit leaves room: the bytes past the string are garbage that the next strings overwrite.
         */
        private static void copy(byte[] data, int from, int to, int n, int limit) {
            if (limit - to >= n + 7) {
                for (int i = 0; i < n; i += 8) {
                    NATIVE_LONG.set(data, to + i, (long) NATIVE_LONG.get(data, from + i));
                }
            } else {
                for (int i = 0, end = Math.min(n, limit - to); i < end; i++) {
                    data[to + i] = data[from + i];
                }
            }
        }
    }
}
