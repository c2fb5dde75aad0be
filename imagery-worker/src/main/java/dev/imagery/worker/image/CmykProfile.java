package dev.imagery.worker.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * A CMYK ICC profile (a print profile: U.S. Web Coated SWOP, FOGRA...) as a table from inks to sRGB, for the CMYK
 * JPEGs that {@link TurboJpeg} decodes and the CMYK TIFFs that {@link PlainTiff} does. Java's colour management took
 * 0.9 s to convert a 4.1 MP photo's inks, three times what sharp takes for the whole job; looked up here, 51 ms on
 * one core, and the whole sepia job on that photo as a JPEG took 1000 ms through ImageIO, 155 through here
 * (docs/PERFORMANCE.md).
 *
 * <p>The table holds Java's own conversion at every 15th level of cyan, magenta and yellow, for each of the 256
 * levels of black; other inks are interpolated between the four nearest entries ({@link Tetrahedron}). An entry's
 * blue, green and red sit in 16-bit lanes of one long, so that one multiply-add per corner weighs all three (the sums
 * stay below 255 × 15, so no lane spills into the next): with the branch-free {@link Tetrahedron}, 86 → 51 ms on one
 * core for 4.1 MP, for 12 MB a profile instead of 4.5 as bytes.
 *
 * <p>Java converts as TwelveMonkeys has it convert, so the colours are ImageIO's within the table's precision: 99.6 %
 * of a 4.1 MP photo's samples within one level of ImageIO's, none more than 8 apart, and of the corpus's CMYK JPEG
 * 99.8 %, none more than 14 ({@code CmykProfileTest}, {@code TurboJpegTest}). Building the table takes about 0.35 s,
 * so the last two profiles' tables are kept ({@link RecentProfiles}): a print shop's photos mostly share one or two,
 * and four would take 48 MB of the worker's heap.
 */
final class CmykProfile {

    private static final int STEP = 15;
    /** Table entries along each of cyan, magenta and yellow: levels 0, 15, ..., 255. */
    private static final int POINTS = Tetrahedron.points(STEP);
    /** Half a step in each lane, so that the division by the step rounds. */
    private static final long ROUNDING = (STEP / 2) * (1L | 1L << 16 | 1L << 32);
    private static final RecentProfiles<CmykProfile> RECENT = new RecentProfiles<>(2);
    /**
     * A JPEG's inks without a profile. TwelveMonkeys' JPEG reader finds no generic CMYK profile on Linux and converts
     * them naively ({@code FastCMYKToRGB}): the light an ink and black leave, {@code (1 - ink) × (1 - black)},
     * rounded up. A TIFF's rounds to nearest through Java2D instead ({@link SampleRows}).
     */
    static final CmykProfile NONE = new CmykProfile(null);

    /**
     * For each level of black: the B, G and R of every table entry in a long's 16-bit lanes, cyan slowest; null for
     * {@link #NONE}.
     */
    private final long[][] byBlack;

    private CmykProfile(long[][] byBlack) {
        this.byBlack = byBlack;
    }

    /**
     * The table for an ICC profile (as the file's reader hands it to Java's colour management: see
     * {@link PlainJpeg}'s), or null when it is not a CMYK profile Java can use.
     */
    static CmykProfile of(byte[] icc) {
        return RECENT.get(icc, CmykProfile::make);
    }

    private static CmykProfile make(byte[] profile) {
        ICC_Profile parsed;
        try {
            parsed = ICC_Profile.getInstance(profile);
        } catch (IllegalArgumentException notAProfile) {
            return null;
        }
        if (parsed.getColorSpaceType() != ColorSpace.TYPE_CMYK || parsed.getNumComponents() != 4) {
            return null;
        }
        try {
            return new CmykProfile(table(new ICC_ColorSpace(parsed)));
        } catch (RuntimeException unusable) {
            return null; // a profile the colour management system cannot apply (its CMMException and the like)
        }
    }

    /** Java's conversion of every table entry, in one call. */
    private static long[][] table(ColorSpace cmyk) {
        int entries = POINTS * POINTS * POINTS;
        WritableRaster inks = new ComponentColorModel(cmyk, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE)
                .createCompatibleWritableRaster(entries, 256);
        byte[] in = ((DataBufferByte) inks.getDataBuffer()).getData();
        for (int k = 0, i = 0; k < 256; k++) {
            for (int c = 0; c < POINTS; c++) {
                for (int m = 0; m < POINTS; m++) {
                    for (int y = 0; y < POINTS; y++, i += 4) {
                        in[i] = (byte) (c * STEP);
                        in[i + 1] = (byte) (m * STEP);
                        in[i + 2] = (byte) (y * STEP);
                        in[i + 3] = (byte) k;
                    }
                }
            }
        }
        WritableRaster bgr = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, entries, 256, entries * 3, 3,
                new int[] {2, 1, 0}, null);
        new ColorConvertOp(cmyk, ColorSpace.getInstance(ColorSpace.CS_sRGB), null).filter(inks, bgr);
        byte[] out = ((DataBufferByte) bgr.getDataBuffer()).getData();
        long[][] byBlack = new long[256][entries];
        for (int k = 0, i = 0; k < 256; k++) {
            for (int e = 0; e < entries; e++, i += 3) {
                byBlack[k][e] = (out[i] & 0xFF) | (out[i + 1] & 0xFFL) << 16 | (out[i + 2] & 0xFFL) << 32;
            }
        }
        return byBlack;
    }

    /**
     * The image's inks, four bytes a pixel in {@code pixels}, converted to sRGB in place, on all cores: each pixel's
     * B, G and R are written over the last three of its four bytes, then moved down to the standard layout
     * ({@link StandardImage#withoutAlpha}), which a converted pixel could not be in place in parallel.
     *
     * @param adobe inverted C, M, Y, K, as Adobe's JPEGs store them (255 for no ink); else K, Y, M, C as ink amounts
     *     (255 for full ink), as {@link SampleRows} stores a TIFF pixel's four samples
     */
    BufferedImage toSrgb(byte[] pixels, int width, int height, boolean adobe) {
        int cyan = adobe ? 0 : 3;
        int magenta = adobe ? 1 : 2;
        int yellow = adobe ? 2 : 1;
        int black = adobe ? 3 : 0;
        int flip = adobe ? 0xFF : 0; // 255 - v, as v ^ 255
        if (byBlack == null) {
            PixelBands.run(width * height, true, (from, to) -> {
                for (int i = from * 4; i < to * 4; i += 4) {
                    int notBlack = 255 - ((pixels[i + black] & 0xFF) ^ flip);
                    int r = withoutInk((pixels[i + cyan] & 0xFF) ^ flip, notBlack);
                    int g = withoutInk((pixels[i + magenta] & 0xFF) ^ flip, notBlack);
                    int b = withoutInk((pixels[i + yellow] & 0xFF) ^ flip, notBlack);
                    pixels[i + 1] = (byte) b;
                    pixels[i + 2] = (byte) g;
                    pixels[i + 3] = (byte) r;
                }
            });
        } else {
            PixelBands.run(width * height, true, (from, to) -> {
                Tetrahedron corners = new Tetrahedron(STEP);
                for (int i = from * 4; i < to * 4; i += 4) {
                    corners.locate((pixels[i + cyan] & 0xFF) ^ flip, (pixels[i + magenta] & 0xFF) ^ flip,
                            (pixels[i + yellow] & 0xFF) ^ flip);
                    long[] table = byBlack[(pixels[i + black] & 0xFF) ^ flip];
                    long sum = corners.w0 * table[corners.base] + corners.w1 * table[corners.first]
                            + corners.w2 * table[corners.second] + corners.w3 * table[corners.top] + ROUNDING;
                    pixels[i + 1] = (byte) (((int) sum & 0xFFFF) / STEP);
                    pixels[i + 2] = (byte) (((int) (sum >>> 16) & 0xFFFF) / STEP);
                    pixels[i + 3] = (byte) ((int) (sum >>> 32) / STEP);
                }
            });
        }
        return StandardImage.withoutAlpha(pixels, width, height);
    }

    /** {@link #NONE}'s light from an ink and what black leaves, 0-255: 255 - (ink × notBlack / 255 + black). */
    private static int withoutInk(int ink, int notBlack) {
        return notBlack - ink * notBlack / 255;
    }
}
