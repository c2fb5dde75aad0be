package dev.imagery.worker.image;

import java.util.zip.Deflater;

/**
 * Tunables of the sepia pipeline.
 *
 * @param maxPixels              largest width × height accepted, checked on the header before any pixel is
 *                               decoded (decompression bombs); the default, 50 MP, lets every camera photo
 *                               through and bounds one image's pixels to about 200 MB
 * @param thumbnailMaxSide       the thumbnail's longer side, in pixels; smaller images are not enlarged
 * @param pngCompressionLevel    deflate level 0-9 of the full-size PNG. On the sepia photos level 1 costs a
 *                               third of level 6's CPU for files 0-20 % larger (level 4, the JDK's default,
 *                               is both slower and larger than 1); figures in {@link PngEncoding}
 * @param parallelPngCompression deflate the full-size PNG on all cores; helps latency when the worker has
 *                               fewer images in flight than cores, costs a little throughput otherwise
 */
public record SepiaSettings(long maxPixels, int thumbnailMaxSide, int pngCompressionLevel,
        boolean parallelPngCompression) {

    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    public static final int DEFAULT_THUMBNAIL_MAX_SIDE = 480;
    public static final int DEFAULT_PNG_COMPRESSION_LEVEL = 1;

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
    }

    public static SepiaSettings defaults() {
        return new SepiaSettings(DEFAULT_MAX_PIXELS, DEFAULT_THUMBNAIL_MAX_SIDE, DEFAULT_PNG_COMPRESSION_LEVEL, true);
    }
}
