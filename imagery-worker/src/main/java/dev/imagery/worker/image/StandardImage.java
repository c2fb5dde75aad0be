package dev.imagery.worker.image;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * The one pixel layout the rest of the pipeline works on: 8-bit sRGB, interleaved bytes without
 * padding, {@code TYPE_3BYTE_BGR} when opaque, {@code TYPE_4BYTE_ABGR} (not premultiplied) with
 * alpha. It is what the JPEG decoder produces anyway, so photos pass through without a copy, and at
 * 3 bytes a pixel it is a quarter smaller than {@code TYPE_INT_RGB}. The byte array may be longer than
 * the image (a recycled raster, see {@link PixelBudget}): code works from width × height, never from its length.
 */
final class StandardImage {

    private static final int[] BGR = {2, 1, 0};
    private static final int[] ABGR = {3, 2, 1, 0};

    /** Where the pipeline's images come from: {@link #create}, or a {@link PixelBudget.Lease} recycling rasters. */
    @FunctionalInterface
    interface Allocator {
        BufferedImage allocate(int width, int height, boolean alpha);
    }

    private StandardImage() {
    }

    /** A new standard image. */
    static BufferedImage create(int width, int height, boolean alpha) {
        return new BufferedImage(width, height, alpha ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR);
    }

    /** RGBA pixels, as decoders without an ABGR output write them, turned in place into ABGR: each reversed. */
    static void abgrFromRgba(byte[] pixels, int from, int to) {
        for (int i = from; i < to; i += 4) {
            byte r = pixels[i];
            byte g = pixels[i + 1];
            pixels[i] = pixels[i + 3];
            pixels[i + 1] = pixels[i + 2];
            pixels[i + 2] = g;
            pixels[i + 3] = r;
        }
    }

    /** A standard image over the start of {@code raster}, which may be longer than the image needs. */
    static BufferedImage over(byte[] raster, int width, int height, boolean alpha) {
        int bands = alpha ? 4 : 3;
        WritableRaster pixels = Raster.createInterleavedRaster(new DataBufferByte(raster, width * height * bands),
                width, height, width * bands, bands, alpha ? ABGR : BGR, null);
        ColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(cm, pixels, false, null);
    }

    /**
     * A standard image with alpha whose every pixel is opaque (a screenshot's or an editor's PNG, saved with an alpha
     * channel it does not use) as an opaque one over the same array, its bytes moved down in place; any other image as
     * it is. The filter, the PNG and the thumbnail then go through a quarter fewer bytes, the box shrink takes its
     * opaque path, a grey image becomes a palette PNG, and the PNG is RGB with the same pixels: for an 8.0 MP photo
     * saved so, 9.13 MB instead of 9.93, the whole job 151-169 ms instead of 166-183 (docs/PERFORMANCE.md). One
     * translucent pixel keeps the alpha.
     */
    static BufferedImage withoutOpaqueAlpha(BufferedImage image) {
        if (image.getType() != BufferedImage.TYPE_4BYTE_ABGR || !isStandard(image)) {
            return image;
        }
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int end = image.getWidth() * image.getHeight() * 4;
        for (int i = 0; i < end; i += 4) {
            if (pixels[i] != (byte) 0xFF) {
                return image;
            }
        }
        return withoutAlpha(pixels, image.getWidth(), image.getHeight());
    }

    /**
     * ABGR bytes whose alpha no one needs (opaque, or never written), as an opaque image over the same array: each
     * pixel's B, G, R moved down in place, where it lands at or before where its A was, so nothing is overwritten
     * before it is read.
     */
    static BufferedImage withoutAlpha(byte[] pixels, int width, int height) {
        int end = width * height * 4;
        for (int i = 0, o = 0; i < end; i += 4, o += 3) {
            pixels[o] = pixels[i + 1];
            pixels[o + 1] = pixels[i + 2];
            pixels[o + 2] = pixels[i + 3];
        }
        return over(pixels, width, height, false);
    }

    static boolean isStandard(BufferedImage image) {
        int type = image.getType();
        if (type != BufferedImage.TYPE_3BYTE_BGR && type != BufferedImage.TYPE_4BYTE_ABGR) {
            return false;
        }
        WritableRaster raster = image.getRaster();
        if (!(raster.getSampleModel() instanceof PixelInterleavedSampleModel sm)
                || !(raster.getDataBuffer() instanceof DataBufferByte buffer)) {
            return false;
        }
        int bands = raster.getNumBands();
        return raster.getParent() == null && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0 && buffer.getNumBanks() == 1 && buffer.getOffset() == 0
                && sm.getPixelStride() == bands && sm.getScanlineStride() == image.getWidth() * bands
                && buffer.getData().length >= image.getWidth() * image.getHeight() * bands;
    }

    /**
     * Grey, palette, 16-bit, premultiplied, CMYK or ICC-tagged pixels become standard ones; a standard
     * image is returned as it is.
     */
    static BufferedImage of(BufferedImage src, Allocator allocator) {
        if (isStandard(src)) {
            return src;
        }
        ColorModel cm = src.getColorModel();
        boolean alpha = cm.hasAlpha();
        BufferedImage dst = allocator.allocate(src.getWidth(), src.getHeight(), alpha);
        if (cm.isAlphaPremultiplied()) {
            src.coerceData(false);
            cm = src.getColorModel();
        }
        ColorSpace cs = cm.getColorSpace();
        if (cm instanceof ComponentColorModel && isIntegral(src.getRaster())
                && (cs.isCS_sRGB() || cs.getType() == ColorSpace.TYPE_GRAY)) {
            copyScaled(src, dst);
        } else if (cs instanceof ICC_ColorSpace && !cs.isCS_sRGB()) {
            // An embedded profile (Adobe RGB, CMYK, ...): let the colour management system map it.
            new ColorConvertOp(null).filter(src, dst);
        } else {
            // Palettes and packed pixels (GIF, BMP, 565...): Java2D's blit loops are exact and fast.
            Graphics2D g = dst.createGraphics();
            try {
                g.setComposite(AlphaComposite.Src);
                g.drawImage(src, 0, 0, null);
            } finally {
                g.dispose();
            }
        }
        return dst;
    }

    /**
     * Whether {@link #of} keeps the samples of pixels tagged with this ICC profile as they are: a grey profile's, which
     * it copies as sRGB's grey levels. Decoders that read such files themselves ask, to give the same bytes.
     */
    static boolean keepsSamples(byte[] icc) {
        try {
            return ICC_Profile.getInstance(icc).getColorSpaceType() == ColorSpace.TYPE_GRAY;
        } catch (IllegalArgumentException e) {
            return false; // not a profile Java can read
        }
    }

    private static boolean isIntegral(Raster raster) {
        int type = raster.getTransferType();
        return type == DataBuffer.TYPE_BYTE || type == DataBuffer.TYPE_USHORT || type == DataBuffer.TYPE_INT;
    }

    /**
     * Samples of any bit depth scaled to 8 bits, grey copied to R, G and B. Done on the samples, not
     * through {@code ColorModel.getRGB}, which treats Java's grey as linear and would brighten it.
     */
    private static void copyScaled(BufferedImage src, BufferedImage dst) {
        Raster in = src.getRaster();
        ColorModel cm = src.getColorModel();
        int w = src.getWidth();
        int h = src.getHeight();
        int inBands = in.getNumBands();
        int colourBands = cm.getNumColorComponents();
        boolean alpha = cm.hasAlpha();
        long[] max = new long[inBands];
        for (int b = 0; b < inBands; b++) {
            max[b] = (1L << cm.getComponentSize(b)) - 1;
        }
        byte[] out = ((DataBufferByte) dst.getRaster().getDataBuffer()).getData();
        int outBands = alpha ? 4 : 3;
        int[] row = new int[w * inBands];
        for (int y = 0; y < h; y++) {
            in.getPixels(0, y, w, 1, row);
            int o = y * w * outBands;
            for (int x = 0, i = 0; x < w; x++, i += inBands, o += outBands) {
                int r;
                int g;
                int b;
                if (colourBands == 1) {
                    r = g = b = to8(row[i], max[0]);
                } else {
                    r = to8(row[i], max[0]);
                    g = to8(row[i + 1], max[1]);
                    b = to8(row[i + 2], max[2]);
                }
                if (alpha) {
                    out[o] = (byte) to8(row[i + colourBands], max[colourBands]);
                    out[o + 1] = (byte) b;
                    out[o + 2] = (byte) g;
                    out[o + 3] = (byte) r;
                } else {
                    out[o] = (byte) b;
                    out[o + 1] = (byte) g;
                    out[o + 2] = (byte) r;
                }
            }
        }
    }

    private static int to8(int sample, long max) {
        if (max == 255) {
            return sample & 0xFF;
        }
        long s = sample & 0xFFFFFFFFL;
        return (int) Math.min(255, (s * 255 + max / 2) / max);
    }
}
