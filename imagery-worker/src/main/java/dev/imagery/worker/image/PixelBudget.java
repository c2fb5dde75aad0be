package dev.imagery.worker.image;

import java.util.concurrent.Semaphore;

/**
 * How many decoded pixels the process may hold at once. The number of messages in flight bounds CPU; this
 * bounds memory: two 18 MP photos at once need about twice the heap of one, while ten 1 MP photos need
 * almost nothing. An image waits here, after its header is read and before its pixels are decoded, until
 * enough of the budget is free. An image larger than the whole budget runs alone.
 */
public final class PixelBudget {

    /**
     * Heap one image in flight needs per pixel at its peak: the 3-byte raster, the compressed upload (held
     * twice while decoding, about 1 byte a pixel each for a high-quality JPEG) and the PNG being written
     * (about 1.6): 6.6 for the 17.9 MP photo. Rounded up for everything else on the heap.
     */
    static final int HEAP_BYTES_PER_PIXEL = 10;

    /** Permits count whole kilopixels, so the budget of any heap fits an int. */
    private static final int PIXELS_PER_PERMIT = 1024;

    private final long pixels;
    private final int permits;
    private final Semaphore free;

    /** A budget of {@code pixels} decoded pixels in flight. */
    public PixelBudget(long pixels) {
        if (pixels < PIXELS_PER_PERMIT) {
            throw new IllegalArgumentException("A pixel budget must allow at least " + PIXELS_PER_PERMIT + " pixels: " + pixels);
        }
        this.pixels = pixels;
        this.permits = (int) Math.min(Integer.MAX_VALUE, pixels / PIXELS_PER_PERMIT);
        this.free = new Semaphore(permits, true);
    }

    /** The budget this JVM's maximum heap allows (-Xmx, or a quarter of the machine's memory by default). */
    public static PixelBudget forHeap() {
        return new PixelBudget(Math.max(PIXELS_PER_PERMIT, Runtime.getRuntime().maxMemory() / HEAP_BYTES_PER_PIXEL));
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

    /** A share of the budget; closing it twice gives back nothing the second time. */
    public final class Lease implements AutoCloseable {

        private int held;

        private Lease(int held) {
            this.held = held;
        }

        @Override
        public synchronized void close() {
            free.release(held);
            held = 0;
        }
    }
}
