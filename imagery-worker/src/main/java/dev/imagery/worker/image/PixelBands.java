package dev.imagery.worker.image;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * A loop over an image's pixels that is a pure function of each pixel, run in bands of pixels on the cores of
 * {@link PngWriter#POOL} (the sepia filter, the conversion to sRGB). Images under a quarter of a megapixel a band
 * are not split: handing the work over would cost more than it saves.
 */
final class PixelBands {

    private static final int MIN_BAND = 250_000;

    /** Pixels [from, to). */
    interface Loop {
        void run(int from, int to);
    }

    private PixelBands() {
    }

    static void run(int pixels, boolean parallel, Loop loop) {
        int bands = parallel ? Math.min(PngWriter.POOL.getParallelism(), Math.max(1, pixels / MIN_BAND)) : 1;
        if (bands <= 1) {
            loop.run(0, pixels);
            return;
        }
        List<Future<?>> futures = new ArrayList<>();
        for (int band = 0; band < bands; band++) {
            int from = (int) ((long) pixels * band / bands);
            int to = (int) ((long) pixels * (band + 1) / bands);
            futures.add(PngWriter.POOL.submit(() -> loop.run(from, to)));
        }
        for (Future<?> future : futures) {
            try {
                future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while working on the pixels", e);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            }
        }
    }
}
