package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import com.pngencoder.PngEncoder;
import com.pngencoder.PngEncoderSrgbRenderingIntent;

/**
 * PNG bytes of an image, with pngencoder: it writes scanlines straight from the raster and can
 * deflate slices of a large image on several cores (the JDK's writer uses one).
 *
 * <p>Single-thread CPU ms / MB of the sepia 1.3, 4.1, 8.0 and 17.9 MP photos (2-core VM, JDK 17):
 * <pre>
 * level 1              45 / 1.72   132 / 4.73   269 / 10.3   677 / 28.1
 * level 2              48 / 1.65   148 / 4.51   302 / 10.1   788 / 28.0
 * level 4 (JDK's)      73 / 1.58   192 / 4.10   436 /  9.7  1235 / 30.5
 * level 6             178 / 1.46   398 / 3.88   898 /  9.1  2752 / 28.7
 * level 1 + filters    85 / 1.43   255 / 4.18   500 /  9.2  1303 / 28.8
 * level 6 + filters   364 / 1.23  1161 / 3.51  2105 /  7.9  4984 / 28.4
 * </pre>
 * The JDK's ImageIO writer (level 4, no filters) writes the same bytes as level 4 here, on one core.
 * Row filters ("predictor") cost twice the CPU for 10-17 % smaller photos, so the full-size image is
 * written without them at the configured level. Thumbnails are small and served often: with filters at
 * level 2 they take 10-30 ms and are within 5 % of level 6 with filters (45-95 ms).
 */
final class PngEncoding {

    static final int THUMBNAIL_LEVEL = 2;

    private PngEncoding() {
    }

    /**
     * The full-size image: fast. Returns the PNG in pieces, so the caller can let go of the pixels
     * before {@link Chunks#toByteArray() joining} them: pixels, pieces and joined array never coexist.
     */
    static Chunks encode(BufferedImage image, int compressionLevel, boolean parallel) {
        return encode(image, compressionLevel, false, parallel);
    }

    /** A thumbnail: small. */
    static byte[] encodeThumbnail(BufferedImage thumbnail) {
        return encode(thumbnail, THUMBNAIL_LEVEL, true, false).toByteArray();
    }

    private static Chunks encode(BufferedImage image, int compressionLevel, boolean filters, boolean parallel) {
        Chunks out = new Chunks();
        new PngEncoder()
                .withBufferedImage(image)
                .withCompressionLevel(compressionLevel)
                .withPredictorEncoding(filters)
                .withMultiThreadedCompressionEnabled(parallel)
                .withSrgbRenderingIntent(PngEncoderSrgbRenderingIntent.PERCEPTUAL)
                .toStream(out);
        return out;
    }

    /**
     * Collects output in 256 KiB chunks and joins them once into an exact-size array: peak memory is
     * twice the PNG, never the three times of a doubling {@code ByteArrayOutputStream} plus its copy.
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
