package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.List;

import com.pngencoder.PngEncoder;
import com.pngencoder.PngEncoderSrgbRenderingIntent;

/**
 * PNG bytes of an image. The full-size image goes through {@link PngWriter} (straight from the raster's
 * bytes, row filter and deflate strategy configurable, strips deflated on all cores); thumbnails, small
 * and of imgscalr's int types, through pngencoder with row filters at level 2: 10-30 ms, within 5 % of
 * level 6 with filters. Measured trade-offs of level, filter and strategy: docs/PERFORMANCE.md.
 */
final class PngEncoding {

    static final int THUMBNAIL_LEVEL = 2;

    private PngEncoding() {
    }

    /**
     * The full-size image (a {@link StandardImage}). Returns the PNG in pieces, which are stored as they are
     * ({@link Chunks#open()}): a large PNG is never copied into one array.
     */
    static Chunks encode(BufferedImage image, SepiaSettings settings) {
        return start(image, settings).finish();
    }

    /** Starts {@link #encode}: in parallel mode the strips compress while the caller goes on (see PngWriter). */
    static PngWriter.Pending start(BufferedImage image, SepiaSettings settings) {
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        return PngWriter.start(pixels, image.getWidth(), image.getHeight(), image.getRaster().getNumBands(),
                settings.pngCompressionLevel(), settings.pngFilter(), settings.deflateStrategy(),
                settings.parallelPngCompression());
    }

    /** A thumbnail: small. */
    static byte[] encodeThumbnail(BufferedImage thumbnail) {
        Chunks out = new Chunks();
        new PngEncoder()
                .withBufferedImage(thumbnail)
                .withCompressionLevel(THUMBNAIL_LEVEL)
                .withPredictorEncoding(true)
                .withMultiThreadedCompressionEnabled(false)
                .withSrgbRenderingIntent(PngEncoderSrgbRenderingIntent.PERCEPTUAL)
                .toStream(out);
        return out.toByteArray();
    }

    /**
     * Collects output in 256 KiB chunks, read back in place ({@link #open()}) or, for small PNGs, joined
     * once into an exact-size array: never the doubling and copying of a {@code ByteArrayOutputStream}.
     * Chunks stay under half of G1's smallest region, so they are not "humongous" objects, which
     * each take whole regions and fragment a small heap.
     */
    static final class Chunks extends OutputStream {
        private static final int CHUNK = 256 * 1024;
        private final List<byte[]> full = new ArrayList<>();
        private byte[] current = new byte[64 * 1024];
        private int position;
        private long size;

        @Override
        public void write(int b) {
            if (position == current.length) {
                next();
            }
            current[position++] = (byte) b;
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (position == current.length) {
                    next();
                }
                int n = Math.min(len, current.length - position);
                System.arraycopy(b, off, current, position, n);
                position += n;
                off += n;
                len -= n;
                size += n;
            }
        }

        private void next() {
            full.add(current);
            current = new byte[CHUNK];
            position = 0;
        }

        long size() {
            return size;
        }

        /** The bytes written, read in place (no copy). */
        InputStream open() {
            List<InputStream> parts = new ArrayList<>();
            full.forEach(chunk -> parts.add(new ByteArrayInputStream(chunk)));
            parts.add(new ByteArrayInputStream(current, 0, position));
            return new SequenceInputStream(java.util.Collections.enumeration(parts));
        }

        byte[] toByteArray() {
            if (size > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("PNG larger than 2 GB");
            }
            byte[] all = new byte[(int) size];
            int at = 0;
            for (byte[] chunk : full) {
                System.arraycopy(chunk, 0, all, at, chunk.length);
                at += chunk.length;
            }
            System.arraycopy(current, 0, all, at, position);
            return all;
        }
    }
}
