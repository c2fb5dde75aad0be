package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * How many decoded pixels the process may hold at once. The number of messages in flight bounds CPU; this
 * bounds memory: two 18 MP photos at once need about twice the heap of one, while ten 1 MP photos need
 * almost nothing. An image waits here, after its header is read and before its pixels are decoded, until
 * enough of the budget is free. An image larger than the whole budget runs alone; one the heap could not hold
 * even alone is refused ({@link #largestImageForHeap}).
 *
 * <p>It also keeps the rasters of finished images for the next ones ({@link Lease#allocate}). A raster is
 * the largest object the worker makes (24 MB for an 8 MP photo) and lives through the whole image, so a
 * fresh one per image outlives young collections, overflows the survivor space and is freed only by a full
 * collection; a kept one is allocated once. The spares never take the rasters past what the budget admits
 * at once (3 bytes a pixel): they are dropped first.
 */
public final class PixelBudget {

    /**
     * Heap one image in flight needs per pixel at its peak: the 3-byte raster, the compressed upload (about 1
     * byte a pixel for a high-quality JPEG; held twice while decoding when read from a stream of unknown length,
     * once from S3) and the PNG being written (about 1.6): up to 6.6 for the 17.9 MP photo. Rounded up for
     * everything else on the heap.
     */
    static final int HEAP_BYTES_PER_PIXEL = 10;

    /**
     * Heap one image needs per pixel when it runs alone, at the least: its 3-byte raster, its PNG (up to 3 bytes
     * a pixel for noise) and its upload. With -Xmx208m a 35 MP photo went through and a 40 MP one ran out of
     * memory (docs/PERFORMANCE.md, 2); beyond the heap's maximum ÷ this an image is refused
     * ({@link #largestImageForHeap}).
     */
    static final int HEAP_BYTES_PER_PIXEL_ALONE = 7;

    /** Permits count whole kilopixels, so the budget of any heap fits an int. */
    private static final int PIXELS_PER_PERMIT = 1024;

    private final long pixels;
    private final int permits;
    private final Semaphore free;
    private final long rasterBytes;
    /** Rasters of finished images, oldest first; with {@link #lentBytes}, guarded by {@code this}. */
    private final List<byte[]> spares = new ArrayList<>();
    private long spareBytes;
    private long lentBytes;

    /** A budget of {@code pixels} decoded pixels in flight. */
    public PixelBudget(long pixels) {
        if (pixels < PIXELS_PER_PERMIT) {
            throw new IllegalArgumentException("A pixel budget must allow at least " + PIXELS_PER_PERMIT + " pixels: " + pixels);
        }
        this.pixels = pixels;
        this.permits = (int) Math.min(Integer.MAX_VALUE, pixels / PIXELS_PER_PERMIT);
        this.free = new Semaphore(permits, true);
        this.rasterBytes = 3 * pixels;
    }

    /** The budget this JVM's maximum heap allows (-Xmx, or a quarter of the machine's memory by default). */
    public static PixelBudget forHeap() {
        return new PixelBudget(Math.max(PIXELS_PER_PERMIT, Runtime.getRuntime().maxMemory() / HEAP_BYTES_PER_PIXEL));
    }

    /**
     * The most pixels one image may have in this JVM's heap, alone (30 MP with -Xmx208m); a larger one would fail
     * with OutOfMemoryError on every delivery of its message, until the dead-letter queue.
     */
    public static long largestImageForHeap() {
        return Runtime.getRuntime().maxMemory() / HEAP_BYTES_PER_PIXEL_ALONE;
    }

    public long pixels() {
        return pixels;
    }

    /**
     * Waits until the image's pixels fit the budget, and holds them until {@link Lease#close()}. Fair: a
     * large image is not starved by a stream of small ones.
     */
    public Lease acquire(long width, long height) throws InterruptedException {
        int wanted = (int) Math.min(permits, Math.max(1, (width * height + PIXELS_PER_PERMIT - 1) / PIXELS_PER_PERMIT));
        free.acquire(wanted);
        return new Lease(wanted);
    }

    /** Pixels not held by any image right now (for tests and metrics). */
    public long available() {
        return (long) free.availablePermits() * PIXELS_PER_PERMIT;
    }

    /** Bytes of finished images' rasters kept for the next images (for tests). */
    synchronized long spareBytes() {
        return spareBytes;
    }

    /**
     * The smallest spare of {@code length} to {@code length × 5/4} bytes (the budget counts an image's pixels,
     * so a raster much larger than the image would hold memory it does not count), or null: the caller then
     * allocates {@code length} bytes, for which spares are dropped first if the rasters would pass the budget.
     */
    private synchronized byte[] lend(int length) {
        byte[] best = null;
        for (byte[] spare : spares) {
            if (spare.length >= length && spare.length <= length + length / 4
                    && (best == null || spare.length < best.length)) {
                best = spare;
            }
        }
        if (best != null) {
            spares.remove(best);
            spareBytes -= best.length;
            lentBytes += best.length;
            return best;
        }
        while (!spares.isEmpty() && spareBytes + lentBytes + length > rasterBytes) {
            spareBytes -= spares.remove(0).length;
        }
        lentBytes += length;
        return null;
    }

    private synchronized void giveBack(byte[] raster) {
        lentBytes -= raster.length;
        if (spareBytes + lentBytes + raster.length <= rasterBytes) {
            spares.add(raster);
            spareBytes += raster.length;
        }
    }

    /**
     * A share of the budget, and the rasters of the image that holds it. Closing it gives both back (the rasters
     * must not be used after that); closing it twice gives back nothing the second time.
     */
    public final class Lease implements AutoCloseable, StandardImage.Allocator {

        private int held;
        private final List<byte[]> lent = new ArrayList<>(2);

        private Lease(int held) {
            this.held = held;
        }

        /**
         * A standard image over a finished image's raster where one fits, else over a new one. Its pixels are
         * whatever the last image left: the decoders write every one of them or give up.
         */
        @Override
        public BufferedImage allocate(int width, int height, boolean alpha) {
            // SepiaSettings caps an image at what fits one array at 4 bytes a pixel.
            int length = Math.toIntExact((long) width * height * (alpha ? 4 : 3));
            byte[] raster = lend(length);
            if (raster == null) {
                raster = new byte[length];
            }
            synchronized (this) {
                lent.add(raster);
            }
            return StandardImage.over(raster, width, height, alpha);
        }

        @Override
        public synchronized void close() {
            free.release(held);
            held = 0;
            lent.forEach(PixelBudget.this::giveBack);
            lent.clear();
        }
    }
}
