package dev.imagery.worker.image;

import java.util.Objects;
import java.util.zip.Deflater;

/**
 * Tunables of the sepia pipeline.
 *
 * @param maxPixels              largest width × height accepted, checked on the header before any pixel is
 *                               decoded (decompression bombs); the default, 50 MP, lets every camera photo
 *                               through and bounds one image's pixels to about 200 MB; a heap too small for
 *                               such an image lowers it ({@link SepiaProcessor#maxPixels()})
 * @param thumbnailMaxSide       the thumbnail's longer side, in pixels; smaller images are not enlarged
 * @param pngCompressionLevel    deflate level 0-9 of the full-size PNG (ignored by {@link DeflateStrategy#HUFFMAN},
 *                               which has no levels); levels 1-3 of {@code DEFAULT} are ISA-L's where it is
 *                               installed ({@link IsalDeflate}), zlib's otherwise; figures in docs/PERFORMANCE.md
 * @param parallelPngCompression sepia and deflate of the full-size image on all cores; helps latency when the
 *                               worker has fewer images in flight than cores, costs a little throughput otherwise
 * @param pngFilter              the PNG row filter of the full-size image
 * @param deflateStrategy        how hard deflate looks for repeats
 */
public record SepiaSettings(long maxPixels, int thumbnailMaxSide, int pngCompressionLevel,
        boolean parallelPngCompression, PngFilter pngFilter, DeflateStrategy deflateStrategy) {

    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    public static final int DEFAULT_THUMBNAIL_MAX_SIDE = 480;
    public static final int DEFAULT_PNG_COMPRESSION_LEVEL = 1;
    public static final PngFilter DEFAULT_PNG_FILTER = PngFilter.AUTO;
    public static final DeflateStrategy DEFAULT_DEFLATE_STRATEGY = DeflateStrategy.DEFAULT;

    /** PNG row filter: the predictor subtracted from each byte before deflate (PNG spec, section 9). */
    public enum PngFilter {
        NONE(0), SUB(1), UP(2), AVERAGE(3), PAETH(4),
        /** Per row, the filter with the smallest sum of absolute residuals (libpng's heuristic): 5 trials a row. */
        ADAPTIVE(-1),
        /**
         * Per strip, {@code UP} or {@code NONE}, both tried on the strip's first rows, whichever deflates them
         * smaller: Up on most photographs (within 2 % of Paeth's size, mostly smaller, at a third less CPU), none
         * on paintings and graphics, where deflate finds the repeats itself. Both cost the same to filter.
         */
        AUTO(-1);

        final int code;

        PngFilter(int code) {
            this.code = code;
        }
    }

    /**
     * zlib's strategy (the JDK's Deflater): {@code DEFAULT} is plain deflate at the level (ISA-L's at levels 1-3
     * where it is installed, see {@link PngWriter}), {@code FILTERED}
     * discourages short matches, {@code HUFFMAN} skips the search for repeats (photographs hardly repeat).
     * A hand-written Huffman-only coder was measured faster (docs/PERFORMANCE.md) and rejected: a codec of
     * our own is not worth its upkeep in a reference service.
     */
    public enum DeflateStrategy {
        DEFAULT(Deflater.DEFAULT_STRATEGY), FILTERED(Deflater.FILTERED), HUFFMAN(Deflater.HUFFMAN_ONLY);

        final int zlib;

        DeflateStrategy(int zlib) {
            this.zlib = zlib;
        }
    }

    /**
     * 4 bytes a pixel must still fit one Java array (and the decoders' own int arithmetic).
     */
    static final long HARD_MAX_PIXELS = (Integer.MAX_VALUE - 64) / 4;

    public SepiaSettings {
        if (maxPixels < 1 || maxPixels > HARD_MAX_PIXELS) {
            throw new IllegalArgumentException("maxPixels must be in 1.." + HARD_MAX_PIXELS + ": " + maxPixels);
        }
        if (thumbnailMaxSide < 1) {
            throw new IllegalArgumentException("thumbnailMaxSide must be positive: " + thumbnailMaxSide);
        }
        if (pngCompressionLevel < Deflater.NO_COMPRESSION || pngCompressionLevel > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("pngCompressionLevel must be in 0..9: " + pngCompressionLevel);
        }
        Objects.requireNonNull(pngFilter, "pngFilter");
        Objects.requireNonNull(deflateStrategy, "deflateStrategy");
    }

    /** The default filter and strategy with the given level and parallelism. */
    public SepiaSettings(long maxPixels, int thumbnailMaxSide, int pngCompressionLevel, boolean parallelPngCompression) {
        this(maxPixels, thumbnailMaxSide, pngCompressionLevel, parallelPngCompression, DEFAULT_PNG_FILTER,
                DEFAULT_DEFLATE_STRATEGY);
    }

    public static SepiaSettings defaults() {
        return new SepiaSettings(DEFAULT_MAX_PIXELS, DEFAULT_THUMBNAIL_MAX_SIDE, DEFAULT_PNG_COMPRESSION_LEVEL, true);
    }

    public SepiaSettings withPng(int level, PngFilter filter, DeflateStrategy strategy, boolean parallel) {
        return new SepiaSettings(maxPixels, thumbnailMaxSide, level, parallel, filter, strategy);
    }
}
