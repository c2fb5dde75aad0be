package dev.imagery.worker.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.zip.Adler32;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * PNG straight from a {@link StandardImage}'s bytes (BGR or ABGR, no padding): no per-pixel calls, no
 * intermediate image. The rows are cut into strips of about {@value #STRIP_BYTES} bytes; each strip is
 * filtered and deflated on its own (at levels 1-3 by {@link IsalDeflate} where ISA-L is installed, else by a fresh
 * zlib {@link Deflater}; either ends on a byte-aligned flush) and becomes one IDAT chunk, so the strips can be
 * compressed on all cores and simply laid end to end. The zlib checksum of the whole is combined from the strips'
 * own. Strip boundaries depend only on the image, never on the number of cores, so the bytes are the same on every
 * machine with the same deflate library.
 *
 * <p>Why strips do not share a 32 KB dictionary (as pigz does): photographs have almost no long matches
 * across a megabyte boundary; measured, it changed the size by under 0.1 %.
 */
final class PngWriter {

    /** Raw bytes per strip: enough work per task to amortise its start, small enough to balance cores. */
    static final int STRIP_BYTES = 1 << 20;

    /** {@link SepiaSettings.PngFilter#AUTO} tries both of its filters on this share (1/n) of each strip's rows. */
    static final int AUTO_TRIAL_SHARE = 16;

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final byte[] IDAT = {'I', 'D', 'A', 'T'};

    /** Pieces of a strip's compressed output: zlib writes into them directly; a strip wastes half of one. */
    private static final int STRIP_PIECE = 64 * 1024;

    /** Shared by all images of the process: as many threads as cores, daemons, idle ones time out. */
    static final ForkJoinPool POOL = new ForkJoinPool(Runtime.getRuntime().availableProcessors());

    private PngWriter() {
    }

    /**
     * Encodes {@code pixels} (TYPE_3BYTE_BGR when {@code bands} is 3, TYPE_4BYTE_ABGR when 4) as an 8-bit RGB or
     * RGBA PNG with an sRGB chunk; or, with a {@code palette} ({@link SepiaPalette#of} the pixels), grey pixels as
     * indices into it: the PNG of their sepia, with the clear levels' alpha in a tRNS chunk.
     *
     * @param width the stored pixels' width
     * @param height the stored pixels' height
     * @param orientation {@link ExifOrientation#NORMAL}, or a quarter turn (5-8) to write the pixels with: the PNG is
     *        then {@code height} wide and {@code width} high
     * @param palette null for an RGB or RGBA PNG
     * @param parallel compress the strips on all cores (else on the calling thread)
     */
    static PngEncoding.Chunks write(byte[] pixels, int width, int height, int bands, int orientation,
            SepiaPalette palette, int level, SepiaSettings.PngFilter filter, SepiaSettings.DeflateStrategy strategy,
            boolean parallel) {
        return start(pixels, width, height, bands, orientation, palette, level, filter, strategy, parallel).finish();
    }

    /**
     * Starts the encoding: with {@code parallel}, the strips are already being compressed on the pool when this
     * returns, so the caller can do other work (the thumbnail) before {@link Pending#finish()}; without, they
     * are compressed in {@code finish()}, on the calling thread. The pixels must not change until then.
     */
    static Pending start(byte[] pixels, int width, int height, int bands, int orientation, SepiaPalette palette,
            int level, SepiaSettings.PngFilter filter, SepiaSettings.DeflateStrategy strategy, boolean parallel) {
        if (bands != 3 && bands != 4) {
            throw new IllegalArgumentException("bands must be 3 or 4: " + bands);
        }
        if ((long) width * height * bands > pixels.length) {
            throw new IllegalArgumentException("pixels do not match " + width + "x" + height + "x" + bands);
        }
        Stored stored = new Stored(pixels, width, height, bands, orientation);
        boolean turned = orientation != ExifOrientation.NORMAL;
        if (turned && !ExifOrientation.swapsAxes(orientation)) {
            throw new IllegalArgumentException("only quarter turns are written turned: orientation " + orientation);
        }
        int pngWidth = turned ? height : width;
        int pngHeight = turned ? width : height;
        Rows rows = new Rows(pngWidth, bands, palette != null);
        long rowBytes = (long) rows.n + 1;
        int rowsPerStrip = (int) Math.max(1, Math.min(pngHeight, STRIP_BYTES / rowBytes));
        int strips = (pngHeight + rowsPerStrip - 1) / rowsPerStrip;
        List<Callable<Strip>> tasks = new ArrayList<>(strips);
        for (int s = 0; s < strips; s++) {
            int y0 = s * rowsPerStrip;
            int y1 = Math.min(pngHeight, y0 + rowsPerStrip);
            boolean last = s == strips - 1;
            tasks.add(() -> strip(stored, rows, y0, y1, last, level, filter, strategy));
        }
        List<Future<Strip>> futures = null;
        if (parallel && strips > 1) {
            futures = new ArrayList<>(strips);
            for (Callable<Strip> task : tasks) {
                futures.add(POOL.submit(task));
            }
        }
        return new Pending(rows, pngHeight, level, strategy, palette != null ? palette.transparency() : null, tasks,
                futures);
    }

    /**
     * How the image's rows become the PNG's: {@code n} bytes a row, {@code bpp} a pixel (what the filters look back),
     * from {@code sourceRow} bytes of BGR or ABGR (with {@code palette}, grey ones to index).
     */
    private record Rows(int width, int bands, boolean palette, int n, int bpp, int sourceRow) {
        Rows(int width, int bands, boolean palette) {
            this(width, bands, palette, palette ? width : width * bands, palette ? 1 : bands, width * bands);
        }

        /** Row {@code y} of the image, as the PNG has it before filtering. */
        void read(byte[] pixels, int y, byte[] out) {
            if (palette) {
                SepiaPalette.indices(pixels, y * sourceRow, out, width, bands);
            } else {
                toRgb(pixels, y * sourceRow, out, n, bands);
            }
        }

        /** The IHDR colour type: palette, RGB or RGBA. */
        int colourType() {
            return palette ? 3 : bands == 4 ? 6 : 2;
        }
    }

    /** An encoding under way; {@link #finish()} waits for the strips and lays out the PNG. */
    static final class Pending {
        private final Rows rows;
        private final int height;
        private final int level;
        private final SepiaSettings.DeflateStrategy strategy;
        /** The tRNS chunk's data, for a palette image with clear levels; else null. */
        private final byte[] transparency;
        private final List<Callable<Strip>> tasks;
        private final List<Future<Strip>> futures;

        private Pending(Rows rows, int height, int level, SepiaSettings.DeflateStrategy strategy,
                byte[] transparency, List<Callable<Strip>> tasks, List<Future<Strip>> futures) {
            this.rows = rows;
            this.height = height;
            this.level = level;
            this.strategy = strategy;
            this.transparency = transparency;
            this.tasks = tasks;
            this.futures = futures;
        }

        /** Cancels what has not started (when the caller fails before {@link #finish()}). */
        void cancel() {
            if (futures != null) {
                futures.forEach(f -> f.cancel(false));
            }
        }

        PngEncoding.Chunks finish() {
            List<Strip> done = new ArrayList<>(tasks.size());
            if (futures != null) {
                try {
                    for (Future<Strip> f : futures) {
                        done.add(f.get());
                    }
                } catch (InterruptedException e) {
                    cancel();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while encoding a PNG", e);
                } catch (ExecutionException e) {
                    cancel();
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } else {
                for (Callable<Strip> task : tasks) {
                    try {
                        done.add(task.call());
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            return assemble(done);
        }

        private PngEncoding.Chunks assemble(List<Strip> done) {
            PngEncoding.Chunks out = new PngEncoding.Chunks();
            out.write(SIGNATURE, 0, SIGNATURE.length);
            byte[] ihdr = new byte[13];
            putInt(ihdr, 0, rows.width());
            putInt(ihdr, 4, height);
            ihdr[8] = 8; // bits per sample
            ihdr[9] = (byte) rows.colourType();
            chunk(out, "IHDR", ihdr, 0, ihdr.length);
            chunk(out, "sRGB", new byte[] {0}, 0, 1); // perceptual rendering intent
            if (rows.palette()) {
                chunk(out, "PLTE", SepiaPalette.ENTRIES, 0, SepiaPalette.ENTRIES.length);
            }
            if (transparency != null) {
                chunk(out, "tRNS", transparency, 0, transparency.length);
            }
            // zlib header: deflate, 32 KB window, the level's class in FLEVEL, check bits (RFC 1950).
            int flevel = level <= 1 || strategy.zlib == Deflater.HUFFMAN_ONLY ? 0
                    : level < 6 ? 1 : level == 6 ? 2 : 3;
            int cmf = 0x78;
            int flg = flevel << 6;
            flg += 31 - (cmf * 256 + flg) % 31;
            byte[] header = {(byte) cmf, (byte) flg};
            chunk(out, "IDAT", header, 0, 2);
            long adler = 1;
            for (Strip strip : done) {
                // An IDAT chunk around the strip's pieces, which the PNG takes by reference.
                out.write(chunkHead(IDAT, (int) strip.data.size()), 0, 8);
                out.append(strip.data);
                out.write(bigEndian(strip.crc), 0, 4);
                adler = combineAdler32(adler, strip.adler, strip.rawLength);
            }
            chunk(out, "IDAT", bigEndian((int) adler), 0, 4);
            chunk(out, "IEND", new byte[0], 0, 0);
            return out;
        }
    }

    /** One strip's IDAT data, its chunk CRC (type and data), its raw length and Adler-32. */
    private record Strip(PngEncoding.Chunks data, int crc, long rawLength, long adler) {
    }

    /**
     * The pixels as the image stores them, and the quarter turn (EXIF orientation 5-8) to write them with, or
     * {@link ExifOrientation#NORMAL}.
     */
    private record Stored(byte[] pixels, int width, int height, int bands, int orientation) {
    }

    private static Strip strip(Stored stored, Rows rows, int y0, int y1, boolean last, int level,
            SepiaSettings.PngFilter filter, SepiaSettings.DeflateStrategy strategy) {
        long rawLength = (long) (y1 - y0) * (rows.n + 1);
        byte[] pixels = stored.pixels();
        if (stored.orientation() != ExifOrientation.NORMAL) {
            // Turned, the strip's rows (and the one before, which the filters look up to) are columns of the stored
            // pixels: gathered into a band of their own, a megabyte, instead of a second raster of the whole image.
            int first = Math.max(0, y0 - 1);
            pixels = new byte[(y1 - first) * rows.sourceRow()];
            ExifOrientation.turnedRows(stored.pixels(), stored.width(), stored.height(), stored.bands(),
                    stored.orientation(), first, y1, pixels);
            y0 -= first;
            y1 -= first;
        }
        if (filter != SepiaSettings.PngFilter.AUTO) {
            try (StripDeflater only = new StripDeflater(filter, level, strategy, rows)) {
                only.rows(pixels, y0, y1);
                return only.finish(last, rawLength);
            }
        }
        // Both ways over the strip's first rows, with the same deflate; the smaller goes on, the other is dropped.
        int trialEnd = y0 + Math.max(1, (y1 - y0) / AUTO_TRIAL_SHARE);
        try (StripDeflater none = new StripDeflater(SepiaSettings.PngFilter.NONE, level, strategy, rows);
                StripDeflater up = new StripDeflater(SepiaSettings.PngFilter.UP, level, strategy, rows)) {
            none.rows(pixels, y0, trialEnd);
            up.rows(pixels, y0, trialEnd);
            StripDeflater better = up.flushedSize() < none.flushedSize() ? up : none;
            better.rows(pixels, trialEnd, y1);
            return better.finish(last, rawLength);
        }
    }

    /** One strip's rows, filtered one way and deflated straight into pieces of the PNG. */
    private static final class StripDeflater implements AutoCloseable {
        private final SepiaSettings.PngFilter filter;
        private final Rows rows;
        private final int n;
        private final Filtering filtering;
        /** zlib's, which takes the rows as they come; or ISA-L's, which deflates them 256 KB at a time. */
        private final Deflater deflater;
        private final IsalDeflate.Input isal;
        private final Adler32 adler = new Adler32();
        private final PngEncoding.Chunks compressed = new PngEncoding.Chunks(STRIP_PIECE);
        private final byte[] batch;
        private byte[] prev;
        private byte[] cur;

        StripDeflater(SepiaSettings.PngFilter filter, int level, SepiaSettings.DeflateStrategy strategy, Rows rows) {
            this.filter = filter;
            this.rows = rows;
            this.n = rows.n();
            this.filtering = new Filtering(n, rows.bpp());
            this.prev = new byte[n];
            this.cur = new byte[n];
            // Several rows per deflate call: each call crosses into native code.
            this.batch = new byte[Math.max(1, (64 * 1024) / (n + 1)) * (n + 1)];
            // Unfiltered rows too, so that AUTO compares filters under one deflate. zlib finds long repeats in
            // unfiltered rows that igzip's quick search misses, but at three times the CPU: the 17.9 MP painting,
            // once unfiltered zlib (28.2 MB, 738 ms), is now Up-filtered igzip (34.5 MB, 239 ms; sharp's: 33.6 MB).
            if (IsalDeflate.handles(level, strategy)) {
                this.isal = IsalDeflate.input(level, compressed);
                this.deflater = null;
            } else {
                this.isal = null;
                this.deflater = new Deflater(level, true);
                deflater.setStrategy(strategy.zlib);
            }
        }

        /** Filters and deflates rows [y0, y1) of the image, which follow the rows given before (if any). */
        void rows(byte[] pixels, int y0, int y1) {
            if (y0 > 0) {
                rows.read(pixels, y0 - 1, prev);
            }
            int rowsPerBatch = batch.length / (n + 1);
            for (int y = y0; y < y1; ) {
                int filled = 0;
                for (int k = 0; k < rowsPerBatch && y < y1; k++, y++) {
                    rows.read(pixels, y, cur);
                    filtering.filter(filter, cur, prev, batch, filled);
                    filled += n + 1;
                    byte[] t = prev;
                    prev = cur;
                    cur = t;
                }
                adler.update(batch, 0, filled);
                if (isal != null) {
                    isal.write(batch, 0, filled);
                    continue;
                }
                deflater.setInput(batch, 0, filled);
                while (!deflater.needsInput()) {
                    compressed.deflate(deflater, Deflater.NO_FLUSH);
                }
            }
        }

        /** Compressed bytes so far, after a sync flush makes them exact (it costs a few bytes, once). */
        long flushedSize() {
            if (isal != null) {
                return isal.deflatedSize();
            }
            syncFlush();
            return deflater.getBytesWritten();
        }

        Strip finish(boolean last, long rawLength) {
            if (isal != null) {
                isal.finish(last);
            } else if (last) {
                deflater.finish();
                while (!deflater.finished()) {
                    compressed.deflate(deflater, Deflater.NO_FLUSH);
                }
            } else {
                // Byte-aligned end without the final-block bit: the next strip's blocks follow directly.
                syncFlush();
            }
            CRC32 crc = new CRC32();
            crc.update(IDAT);
            compressed.updateChecksum(crc);
            return new Strip(compressed, (int) crc.getValue(), rawLength, adler.getValue());
        }

        private void syncFlush() {
            while (compressed.deflate(deflater, Deflater.SYNC_FLUSH)) {
                // zlib filled the space it was given: there may be more
            }
        }

        @Override
        public void close() {
            if (isal != null) {
                isal.close();
            } else {
                deflater.end();
            }
        }
    }

    /** One row of BGR or ABGR bytes as PNG's RGB or RGBA. */
    private static void toRgb(byte[] src, int at, byte[] dst, int n, int bands) {
        if (bands == 3) {
            for (int i = 0; i < n; i += 3) {
                dst[i] = src[at + i + 2];
                dst[i + 1] = src[at + i + 1];
                dst[i + 2] = src[at + i];
            }
        } else {
            for (int i = 0; i < n; i += 4) {
                dst[i] = src[at + i + 3];
                dst[i + 1] = src[at + i + 2];
                dst[i + 2] = src[at + i + 1];
                dst[i + 3] = src[at + i];
            }
        }
    }

    /**
     * The Paeth predictor from the left, upper and upper-left bytes (0-255): the spec's (PNG 9.4) in stb_image's
     * form, equal for all 2^24 inputs, with a minimum, a maximum and two selects instead of three distances. 10 %
     * off the 8.0 MP photo's Paeth encode (333 → 303 ms of CPU); decoding, where each byte waits for the one to its
     * left, 79 → 23 ms for a 4.1 MP PNG. The last select is arithmetic (threshold above low: the sign bit of
     * {@code low - threshold} picks lowOrC) because the JIT compiled it as a branch, which drawn images mispredict:
     * decoding a 2.8 MP PNG of stripes took 46 ms, 39 since. Made arithmetic too, the first select cost others 2-13 %.
     */
    static int paeth(int a, int b, int c) {
        int threshold = 3 * c - (a + b);
        int low = Math.min(a, b);
        int high = Math.max(a, b);
        int lowOrC = high <= threshold ? low : c;
        return high ^ ((high ^ lowOrC) & ((low - threshold) >> 31));
    }

    /** The five PNG filters, written as plain loops the JIT vectorises (Paeth excepted). */
    private static final class Filtering {
        private final int n;
        private final int bpp;
        private final byte[][] trial;

        Filtering(int n, int bpp) {
            this.n = n;
            this.bpp = bpp;
            this.trial = new byte[5][];
        }

        void filter(SepiaSettings.PngFilter filter, byte[] cur, byte[] prev, byte[] out, int at) {
            if (filter != SepiaSettings.PngFilter.ADAPTIVE) {
                out[at] = (byte) filter.code;
                apply(filter.code, cur, prev, out, at + 1);
                return;
            }
            int best = 0;
            long bestSum = Long.MAX_VALUE;
            for (int f = 0; f < 5; f++) {
                if (trial[f] == null) {
                    trial[f] = new byte[n];
                }
                apply(f, cur, prev, trial[f], 0);
                long sum = absSum(trial[f]);
                if (sum < bestSum) {
                    bestSum = sum;
                    best = f;
                }
            }
            out[at] = (byte) best;
            System.arraycopy(trial[best], 0, out, at + 1, n);
        }

        private static long absSum(byte[] b) {
            long sum = 0;
            for (byte v : b) {
                sum += Math.abs((int) v);
            }
            return sum;
        }

        private void apply(int code, byte[] cur, byte[] prev, byte[] out, int o) {
            int n = this.n;
            int bpp = this.bpp;
            switch (code) {
                case 0 -> System.arraycopy(cur, 0, out, o, n);
                case 1 -> {
                    for (int i = 0; i < bpp; i++) {
                        out[o + i] = cur[i];
                    }
                    for (int i = bpp; i < n; i++) {
                        out[o + i] = (byte) (cur[i] - cur[i - bpp]);
                    }
                }
                case 2 -> {
                    for (int i = 0; i < n; i++) {
                        out[o + i] = (byte) (cur[i] - prev[i]);
                    }
                }
                case 3 -> {
                    for (int i = 0; i < bpp; i++) {
                        out[o + i] = (byte) (cur[i] - ((prev[i] & 0xFF) >>> 1));
                    }
                    for (int i = bpp; i < n; i++) {
                        out[o + i] = (byte) (cur[i] - (((cur[i - bpp] & 0xFF) + (prev[i] & 0xFF)) >>> 1));
                    }
                }
                default -> {
                    for (int i = 0; i < bpp; i++) {
                        out[o + i] = (byte) (cur[i] - prev[i]); // left and upper-left are 0: Paeth picks up
                    }
                    for (int i = bpp; i < n; i++) {
                        int a = cur[i - bpp] & 0xFF;
                        int b = prev[i] & 0xFF;
                        int c = prev[i - bpp] & 0xFF;
                        out[o + i] = (byte) (cur[i] - paeth(a, b, c));
                    }
                }
            }
        }
    }

    private static void chunk(PngEncoding.Chunks out, String type, byte[] data, int off, int len) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data, off, len);
        out.write(chunkHead(t, len), 0, 8);
        out.write(data, off, len);
        out.write(bigEndian((int) crc.getValue()), 0, 4);
    }

    /** A chunk's length and type; its CRC, after the data, covers the type and the data. */
    private static byte[] chunkHead(byte[] type, int length) {
        byte[] head = new byte[8];
        putInt(head, 0, length);
        System.arraycopy(type, 0, head, 4, 4);
        return head;
    }

    private static byte[] bigEndian(int v) {
        byte[] b = new byte[4];
        putInt(b, 0, v);
        return b;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    /** Adler-32 of A followed by B, from their checksums and B's length (the arithmetic of RFC 1950 mod 65521). */
    static long combineAdler32(long adlerA, long adlerB, long lengthB) {
        final long base = 65521;
        long rem = lengthB % base;
        long a1 = adlerA & 0xFFFF;
        long b1 = (adlerA >>> 16) & 0xFFFF;
        long a2 = adlerB & 0xFFFF;
        long b2 = (adlerB >>> 16) & 0xFFFF;
        // A's sum a1 counts once more for each of B's bytes; B's own sums start from 1, not from a1.
        long a = (a1 + a2 + base - 1) % base;
        long b = (b1 + b2 + rem * a1 % base + base - rem) % base;
        return b << 16 | a;
    }
}
