package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The sepia of a grey pixel depends on its grey level alone, so the sepia of a grey image (a black-and-white photo,
 * a scan, a drawing) has at most 256 colours, and its PNG can be a palette one: the grey levels themselves as indices
 * into the sepia of each level. That is a byte a pixel to filter and deflate instead of three, and no filter pass over
 * the image, for exactly the colours the filter would give. ImageMagick works on such images' one channel too, which
 * made it faster than Imagery on 1- to 4-bit PNGs (docs/PERFORMANCE.md). A grey image whose clear pixels are those of
 * whole grey levels (a grey PNG with a transparent level) is a palette one too, those levels' alpha in a tRNS chunk:
 * a 4.1 MP 1-bit one took 27.9 ms as RGBA, 12.8 as a palette, and its PNG is 6.8 KB instead of 49.5.
 */
final class SepiaPalette {

    /** The PLTE chunk's data: the sepia of grey 0 to 255, red, green and blue each. */
    static final byte[] ENTRIES = new byte[256 * 3];

    private static final SepiaPalette OPAQUE = new SepiaPalette(null);

    /** Pixels checked between looks at whether another band has found a colour. */
    private static final int CHECK_EVERY = 4096;

    static {
        for (int grey = 0; grey < 256; grey++) {
            ENTRIES[grey * 3] = (byte) SepiaFilter.red(grey, grey, grey);
            ENTRIES[grey * 3 + 1] = (byte) SepiaFilter.green(grey, grey, grey);
            ENTRIES[grey * 3 + 2] = (byte) SepiaFilter.blue(grey, grey, grey);
        }
    }

    /** The tRNS chunk's data: the alpha of each level up to the last clear one; null when no level is clear. */
    private final byte[] transparency;

    private SepiaPalette(byte[] transparency) {
        this.transparency = transparency;
    }

    byte[] transparency() {
        return transparency;
    }

    /**
     * The palette of a {@link StandardImage} whose PNG can be a palette one, or null: red, green and blue equal in
     * every pixel, and, with alpha, each grey level either opaque or transparent wherever it is (a grey PNG with a
     * transparent level, or a grey drawing on a clear background), so that the level's palette entry can carry its
     * alpha ({@link #transparency()}). A translucent pixel, or a level both opaque and clear, keeps the image RGBA. A
     * colour image stops the scan at its first colour pixel; a grey one is read through once, on all cores when
     * {@code parallel}.
     */
    static SepiaPalette of(BufferedImage image, boolean parallel) {
        int bands = image.getRaster().getNumBands();
        if (bands != 3 && bands != 4) {
            return null;
        }
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        AtomicBoolean ruledOut = new AtomicBoolean();
        // With alpha: each band's levels seen opaque and seen clear, as 256-bit sets, gathered here.
        long[] opaque = new long[4];
        long[] clear = new long[4];
        PixelBands.run(image.getWidth() * image.getHeight(), parallel, (from, to) -> {
            long[] bandOpaque = new long[4];
            long[] bandClear = new long[4];
            for (int start = from; start < to && !ruledOut.get(); start += CHECK_EVERY) {
                int end = Math.min(to, start + CHECK_EVERY) * bands;
                boolean grey = bands == 3 ? grey(data, start * 3, end)
                        : greyWithLevelsOpaqueOrClear(data, start * 4, end, bandOpaque, bandClear);
                if (!grey) {
                    ruledOut.set(true);
                    return;
                }
            }
            synchronized (opaque) {
                for (int k = 0; k < 4; k++) {
                    opaque[k] |= bandOpaque[k];
                    clear[k] |= bandClear[k];
                }
            }
        });
        if (ruledOut.get()) {
            return null;
        }
        for (int k = 0; k < 4; k++) {
            if ((opaque[k] & clear[k]) != 0) {
                return null;
            }
        }
        return bands == 3 ? OPAQUE : new SepiaPalette(transparency(clear));
    }

    private static boolean grey(byte[] bgr, int from, int to) {
        for (int i = from; i < to; i += 3) {
            if (bgr[i] != bgr[i + 1] || bgr[i + 1] != bgr[i + 2]) {
                return false;
            }
        }
        return true;
    }

    private static boolean greyWithLevelsOpaqueOrClear(byte[] abgr, int from, int to, long[] opaque, long[] clear) {
        for (int i = from; i < to; i += 4) {
            byte alpha = abgr[i];
            int level = abgr[i + 1] & 0xFF;
            if (abgr[i + 1] != abgr[i + 2] || abgr[i + 2] != abgr[i + 3] || alpha != 0 && alpha != -1) {
                return false;
            }
            long[] seen = alpha == 0 ? clear : opaque;
            seen[level >>> 6] |= 1L << level;
        }
        return true;
    }

    /** 0 for the clear levels, 255 for the others, up to the last clear one; null when none is. */
    private static byte[] transparency(long[] clear) {
        byte[] alphas = null;
        for (int level = 255; level >= 0; level--) {
            boolean isClear = (clear[level >>> 6] & 1L << level) != 0;
            if (isClear && alphas == null) {
                alphas = new byte[level + 1];
                Arrays.fill(alphas, (byte) 255);
            }
            if (isClear) {
                alphas[level] = 0;
            }
        }
        return alphas;
    }

    /**
     * The palette indices of {@code width} grey pixels of BGR or ABGR bytes ({@code bands} 3 or 4) from {@code at}:
     * their grey levels.
     */
    static void indices(byte[] pixels, int at, byte[] out, int width, int bands) {
        for (int x = 0, i = at + bands - 3; x < width; x++, i += bands) {
            out[x] = pixels[i];
        }
    }
}
