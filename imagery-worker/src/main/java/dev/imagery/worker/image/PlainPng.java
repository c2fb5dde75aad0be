package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStream;

/**
 * The plain PNG: RGB, RGBA, grey or grey with alpha, 8 or 16 bits a sample, or grey of 1, 2 or 4 bits, interlaced or
 * not, with or without a transparent colour, no colour profile, an RGB one Java can apply ({@link RgbProfile}:
 * sRGB, Display P3, Adobe RGB, a scanner's tables...) or, for grey, a grey one (its samples kept): how photos,
 * black-and-white photos and scans, editors' 16-bit exports and screenshots are saved. Decoded here, streaming from
 * the input, straight into the standard layout (grey to R, G and B, 16-bit samples rounded to 8 bits as
 * {@link StandardImage} rounds ImageIO's), and converted to sRGB like a JPEG with the same profile (ImageIO's reader
 * ignores profiles): ImageIO took 137 ms for a 4.1 MP photo saved as PNG, this 44, and the whole sepia job on a
 * 16-bit 4.1 MP PNG took 363 ms through ImageIO, 133 through here, where sharp takes 164 (docs/PERFORMANCE.md).
 * Anything else (palettes, other profiles) and any damaged file goes to ImageIO, which also says what is wrong.
 */
final class PlainPng {

    private static final long SIGNATURE = 0x89504E470D0A1A0AL;
    private static final int IHDR = 0x49484452;
    private static final int IDAT = 0x49444154;
    private static final int ICCP = 0x69434350;
    private static final int TRNS = 0x74524E53;
    private static final int PLTE = 0x504C5445;
    private static final int GREY = 0;
    private static final int RGB = 2;
    private static final int GREY_ALPHA = 4;
    private static final int RGBA = 6;
    /** About a megabyte of filtered rows: the unit of work handed from the inflater to the pool. */
    private static final int BLOCK_BYTES = 1 << 20;
    private static final CompletableFuture<Boolean> DONE = CompletableFuture.completedFuture(true);
    /** Adam7's passes: first column and row, then the step between columns and between rows. */
    private static final int[][] ADAM7 = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4},
            {1, 0, 2, 2}, {0, 1, 1, 2}};
    /** Embedded profiles are a few kilobytes; a chunk or profile beyond this is not one to trust (or allocate). */
    private static final int MAX_PROFILE = 1 << 22;

    private PlainPng() {
    }

    /**
     * Decodes the PNG from the stream's current position (its start), or returns null when it does not qualify
     * or cannot be decoded here: the caller then seeks back and lets ImageIO read it.
     */
    static BufferedImage decode(ImageInputStream in, ImageDecoder.Admission admission)
            throws IOException, UnprocessableImageException {
        try {
            if (in.readLong() != SIGNATURE || in.readInt() != 13 || in.readInt() != IHDR) {
                return null;
            }
            int width = in.readInt();
            int height = in.readInt();
            int depth = in.read();
            int colourType = in.read();
            int compression = in.read();
            int filtering = in.read();
            int interlace = in.read();
            in.skipBytes(4); // CRC
            int channels = switch (colourType) {
                case GREY -> 1;
                case GREY_ALPHA -> 2;
                case RGB -> 3;
                case RGBA -> 4;
                default -> 0;
            };
            // Grey of 1, 2 or 4 bits (a scan, a drawing) packs its pixels into bytes.
            int packedBits = colourType == GREY && (depth == 1 || depth == 2 || depth == 4) ? depth : 0;
            if (channels == 0 || (depth != 8 && depth != 16 && packedBits == 0) || compression != 0 || filtering != 0
                    || interlace > 1) {
                return null;
            }
            admission.admit(width, height);
            ImageData data = imageData(in, colourType);
            if (data == null) {
                return null;
            }
            SampleRows samples = new SampleRows(width, channels, packedBits == 0 ? depth / 8 : 1, false, false,
                    data.colourKey());
            BufferedImage image = interlace == 0
                    ? decodeRows(in, data.firstIdatLength(), height, samples, packedBits, admission)
                    : decodeAdam7(in, data.firstIdatLength(), height, samples, packedBits, admission);
            if (image != null && data.profile() != null) {
                data.profile().toSrgb(image);
            }
            return image;
        } catch (InterruptedIOException shuttingDown) {
            throw shuttingDown;
        } catch (EOFException | DataFormatException | IIOException e) {
            return null;
        }
    }

    /**
     * Where the pixels start: the first IDAT's length, the profile to convert from (null: sRGB already), and the
     * transparent colour ({@link SampleRows#colourKey}).
     */
    private record ImageData(int firstIdatLength, RgbProfile profile, long colourKey) {
    }

    /** Reads the chunks before the image data, up to the first IDAT's data; null if a chunk disqualifies. */
    private static ImageData imageData(ImageInputStream in, int colourType)
            throws IOException, DataFormatException {
        RgbProfile profile = null;
        long colourKey = SampleRows.NO_KEY;
        while (true) {
            int length = in.readInt();
            int type = in.readInt();
            if (length < 0) {
                return null;
            }
            if (type == IDAT) {
                return new ImageData(length, profile, colourKey);
            }
            if (type == ICCP) {
                if (length > MAX_PROFILE) {
                    return null;
                }
                byte[] chunk = new byte[length];
                in.readFully(chunk);
                byte[] icc = iccProfile(chunk);
                if ((colourType == GREY || colourType == GREY_ALPHA) && StandardImage.keepsSamples(icc)) {
                    profile = null; // a grey profile leaves the samples as they are, as on ImageIO's path
                } else {
                    profile = RgbProfile.parse(icc);
                    if (profile == null) {
                        return null;
                    }
                    profile = profile.isSrgb() ? null : profile;
                }
                in.skipBytes(4);
            } else if (type == TRNS) {
                // Grey or RGB's transparent colour, in samples of the image's depth (PNG 11.3.2.1): a screenshot's
                // or a logo's, now and then a photo's or a scan's. The sepia job on a 4.1 MP photo with one took 259
                // ms through ImageIO, 72 through here. For grey of 1, 2 or 4 bits ImageIO compares the key with the
                // level scaled to 8 bits, so a level other than black never matches; here it is the file's sample.
                if (length != (colourType == GREY ? 2 : colourType == RGB ? 6 : -1)) {
                    return null;
                }
                int greyOrRed = in.readUnsignedShort();
                colourKey = colourType == GREY ? SampleRows.colourKey(greyOrRed, greyOrRed, greyOrRed)
                        : SampleRows.colourKey(greyOrRed, in.readUnsignedShort(), in.readUnsignedShort());
                in.skipBytes(4);
            } else if ((type & 0x20000000) == 0 && type != PLTE) {
                return null; // an unknown critical chunk may change anything
            } else {
                in.skipBytes(length + 4L);
            }
        }
    }

    /** iCCP: a name, a zero byte, the compression method (0), then the zlib-compressed profile. */
    private static byte[] iccProfile(byte[] chunk) throws DataFormatException {
        int name = 0;
        while (name < chunk.length && chunk[name] != 0) {
            name++;
        }
        if (name + 2 > chunk.length) {
            return new byte[0];
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(chunk, name + 2, chunk.length - name - 2);
            ByteArrayOutputStream profile = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished() && profile.size() < MAX_PROFILE) {
                int n = inflater.inflate(buffer);
                if (n == 0) {
                    break; // the data ended early, or needs a dictionary: not a profile
                }
                profile.write(buffer, 0, n);
            }
            return inflater.finished() ? profile.toByteArray() : new byte[0];
        } finally {
            inflater.end();
        }
    }

    /**
     * The caller inflates a block of rows while a pool thread unfilters the block before it: each half is about
     * half of the work (a 4.1 MP photo: 34 and 33 ms), and neither can be split further, since a row's bytes
     * depend on the row above and the zlib stream is one.
     */
    private static BufferedImage decodeRows(ImageInputStream in, int firstIdat, int height, SampleRows samples,
            int packedBits, StandardImage.Allocator allocator) throws IOException, DataFormatException {
        BufferedImage image = allocator.allocate(samples.width(), height, samples.alpha());
        Rows rows = new Rows(((DataBufferByte) image.getRaster().getDataBuffer()).getData(), samples, packedBits);
        int rowsPerBlock = Math.max(1, Math.min(height, BLOCK_BYTES / rows.length));
        int blockBytes = rowsPerBlock * rows.length;
        byte[][] blocks = {new byte[blockBytes], height > rowsPerBlock ? new byte[blockBytes] : null};
        List<CompletableFuture<Boolean>> unfiltered = new ArrayList<>(List.of(DONE, DONE)); // per block buffer
        CompletableFuture<Boolean> last = DONE;
        Idat data = new Idat(in, firstIdat);
        try {
            for (int y = 0, k = 0; y < height; y += rowsPerBlock, k ^= 1) {
                int count = Math.min(rowsPerBlock, height - y);
                // The buffer is free once the block that used it two blocks ago is unfiltered.
                if (!unfiltered.get(k).join()) {
                    return null;
                }
                byte[] block = blocks[k];
                if (!data.inflate(block, count * rows.length)) {
                    return null;
                }
                int first = y;
                last = last.thenApplyAsync(ok -> ok && rows.unfilter(block, first, count), PngWriter.POOL);
                unfiltered.set(k, last);
            }
            return last.join() ? image : null;
        } finally {
            // Given up or not, no unfilter may write into the raster after this returns: it goes to the next image.
            last.handle((ok, failure) -> ok).join();
            data.end();
        }
    }

    /**
     * Adam7 (PNG 8.2): seven passes over the image, each a smaller image of every 8th, 4th or 2nd pixel (columns and
     * rows from an offset), its rows filtered as in any image of its size. Decoded on one thread, pass after pass,
     * each row's pixels scattered to their places: the sepia job on a 4.1 MP interlaced photo took 289 ms through
     * ImageIO, 191 through here (docs/PERFORMANCE.md).
     */
    private static BufferedImage decodeAdam7(ImageInputStream in, int firstIdat, int height, SampleRows samples,
            int packedBits, StandardImage.Allocator allocator) throws IOException, DataFormatException {
        int width = samples.width();
        BufferedImage image = allocator.allocate(width, height, samples.alpha());
        byte[] out = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int outBpp = samples.outPixelBytes();
        Idat data = new Idat(in, firstIdat);
        try {
            for (int[] pass : ADAM7) {
                int x0 = pass[0];
                int y0 = pass[1];
                int dx = pass[2];
                int dy = pass[3];
                SampleRows passRows = samples.withWidth((width - x0 + dx - 1) / dx);
                if (passRows.width() == 0 || y0 >= height) {
                    continue; // a pass without pixels has no rows at all
                }
                int n = packedBits == 0 ? passRows.rowBytes() : packedRowBytes(passRows.width(), packedBits);
                byte[] row = new byte[n + 1];
                byte[] above = new byte[n + 1]; // zeros above a pass's first row
                byte[] pixels = new byte[passRows.outRowBytes()];
                for (int y = y0; y < height; y += dy) {
                    if (!data.inflate(row, n + 1) || !unfilter(row, 0, above, 0, n, passRows.pixelBytes())) {
                        return null;
                    }
                    if (packedBits == 0) {
                        passRows.store(row, 1, pixels, 0);
                    } else {
                        unpackGrey(row, 1, packedBits, samples.colourKey(), pixels, 0, pixels.length);
                    }
                    int o = (y * width + x0) * outBpp;
                    if (dx == 1) {
                        System.arraycopy(pixels, 0, out, o, pixels.length); // the last pass: every odd row whole
                    } else {
                        for (int i = 0; i < pixels.length; i += outBpp, o += dx * outBpp) {
                            for (int k = 0; k < outBpp; k++) {
                                out[o + k] = pixels[i + k];
                            }
                        }
                    }
                    byte[] done = above;
                    above = row;
                    row = done;
                }
            }
            return image;
        } finally {
            data.end();
        }
    }

    /** Unfilters rows in order into the image: each row's filter type, then its filtered bytes. */
    private static final class Rows {
        private final byte[] out;
        private final SampleRows samples;
        /** Bits a grey pixel where they are packed into bytes (1, 2 or 4), else 0. */
        private final int packedBits;
        /** Bytes a pixel in the file, the distance the filters look back (1 for packed pixels, PNG 9.2). */
        private final int bpp;
        /** Filtered bytes a row, and the same with the filter type. */
        private final int stride;
        private final int length;
        private final int outStride;
        /** The last row of the previous block; zeros above the first row, as the format says. */
        private final byte[] carry;

        Rows(byte[] out, SampleRows samples, int packedBits) {
            this.out = out;
            this.samples = samples;
            this.packedBits = packedBits;
            this.bpp = samples.pixelBytes();
            this.stride = packedBits == 0 ? samples.rowBytes() : packedRowBytes(samples.width(), packedBits);
            this.length = stride + 1;
            this.outStride = samples.outRowBytes();
            this.carry = new byte[length];
        }

        /** False for a filter type that does not exist. */
        boolean unfilter(byte[] block, int firstY, int count) {
            for (int r = 0, at = 0; r < count; r++, at += length) {
                boolean ok = r == 0 ? PlainPng.unfilter(block, at, carry, 0, stride, bpp)
                        : PlainPng.unfilter(block, at, block, at - length, stride, bpp);
                if (!ok) {
                    return false;
                }
                if (packedBits == 0) {
                    samples.store(block, at + 1, out, (firstY + r) * outStride);
                } else {
                    int o = (firstY + r) * outStride;
                    unpackGrey(block, at + 1, packedBits, samples.colourKey(), out, o, o + outStride);
                }
            }
            System.arraycopy(block, (count - 1) * length, carry, 0, length);
            return true;
        }
    }

    /** Bytes a row of packed grey pixels takes in the file: its last byte may be part-filled. */
    private static int packedRowBytes(int width, int bits) {
        return (width * bits + 7) / 8;
    }

    /**
     * A row of packed grey pixels, first bits highest, each scaled to 8 bits (× 255, 85 or 17: ImageIO's grey ramp)
     * and copied to B, G and R of {@code out[o]} up to {@code out[end]}; with a transparent level
     * ({@link SampleRows#colourKey}, not {@link SampleRows#NO_KEY}), after an alpha byte, 0 for that level.
     */
    private static void unpackGrey(byte[] row, int from, int bits, long colourKey, byte[] out, int o, int end) {
        int mask = (1 << bits) - 1;
        int scale = 255 / mask;
        int transparent = colourKey == SampleRows.NO_KEY ? -1 : (int) (colourKey & 0xFFFF);
        int bpp = transparent < 0 ? 3 : 4;
        for (int i = from; o < end; i++) {
            int packed = row[i] & 0xFF;
            for (int shift = 8 - bits; shift >= 0 && o < end; shift -= bits, o += bpp) {
                int sample = packed >>> shift & mask;
                int at = o;
                if (transparent >= 0) {
                    out[at++] = (byte) (sample == transparent ? 0 : 255);
                }
                byte grey = (byte) (sample * scale);
                out[at] = grey;
                out[at + 1] = grey;
                out[at + 2] = grey;
            }
        }
    }

    /**
     * Undoes one row's filter in place (PNG 9.2-9.4): r and a are where the row (its filter type, then {@code n}
     * bytes) and the one above start, {@code bpp} the bytes a pixel. False for a filter type that does not exist.
     */
    private static boolean unfilter(byte[] row, int r, byte[] above, int a, int n, int bpp) {
        switch (row[r]) {
            case 0 -> { }
            case 1 -> {
                for (int i = 1 + bpp; i <= n; i++) {
                    row[r + i] += row[r + i - bpp];
                }
            }
            case 2 -> {
                for (int i = 1; i <= n; i++) {
                    row[r + i] += above[a + i];
                }
            }
            case 3 -> {
                for (int i = 1; i <= bpp; i++) {
                    row[r + i] += (byte) ((above[a + i] & 0xFF) >>> 1);
                }
                for (int i = 1 + bpp; i <= n; i++) {
                    row[r + i] += (byte) (((row[r + i - bpp] & 0xFF) + (above[a + i] & 0xFF)) >>> 1);
                }
            }
            case 4 -> {
                for (int i = 1; i <= bpp; i++) {
                    row[r + i] += above[a + i]; // no left neighbours: Paeth picks the one above
                }
                for (int i = 1 + bpp; i <= n; i++) {
                    row[r + i] += (byte) PngWriter.paeth(row[r + i - bpp] & 0xFF, above[a + i] & 0xFF,
                            above[a + i - bpp] & 0xFF);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /**
     * The image data: the zlib stream split over IDAT chunks, read from the input as the inflater needs it. Its
     * two-byte header is read here, so that the deflate data inside goes to ISA-L ({@link IsalInflate}) where it is
     * installed, else to zlib; the Adler-32 at the end is not read (nor was it by zlib, which stopped at the last row).
     */
    private static final class Idat {
        private final ImageInputStream in;
        private final IsalInflate.Stream isal;
        private final Inflater inflater;
        private final byte[] buffer = new byte[IsalInflate.INPUT_BYTES];
        private long remaining;
        /** The zlib header's bytes still to read, and those read (RFC 1950). */
        private int headerLeft = 2;
        private int header;

        Idat(ImageInputStream in, int firstLength) {
            this.in = in;
            this.remaining = firstLength;
            this.isal = IsalInflate.available() ? IsalInflate.open() : null;
            this.inflater = isal == null ? new Inflater(true) : null;
        }

        /** Fills the start of the array; false if the data ends first. */
        boolean inflate(byte[] into, int length) throws IOException, DataFormatException {
            int filled = 0;
            while (filled < length) {
                int n = isal != null ? isal.inflate(into, filled, length - filled)
                        : inflater.inflate(into, filled, length - filled);
                filled += n;
                if (n == 0) {
                    boolean needsInput = isal != null ? isal.needsInput() : inflater.needsInput() && !inflater.finished();
                    if (!needsInput || !refill()) {
                        return false;
                    }
                }
            }
            return true;
        }

        private boolean refill() throws IOException {
            int n;
            int off = 0;
            do {
                while (remaining == 0) {
                    in.skipBytes(4); // the CRC of the chunk just read
                    int length = in.readInt();
                    if (in.readInt() != IDAT || length < 0) {
                        return false;
                    }
                    remaining = length;
                }
                n = (int) Math.min(remaining, buffer.length);
                in.readFully(buffer, 0, n);
                remaining -= n;
                for (off = 0; headerLeft > 0 && off < n; off++, headerLeft--) {
                    header = header << 8 | buffer[off] & 0xFF;
                    // Deflate with a window of at most 32 KB, the check bits right, and no preset dictionary.
                    if (headerLeft == 1 && ((header >>> 8 & 0x8F) != 0x08 || header % 31 != 0 || (header & 0x20) != 0)) {
                        return false;
                    }
                }
            } while (off == n);
            if (isal != null) {
                isal.setInput(buffer, off, n - off);
            } else {
                inflater.setInput(buffer, off, n - off);
            }
            return true;
        }

        void end() {
            if (isal != null) {
                isal.close();
            } else {
                inflater.end();
            }
        }
    }
}
