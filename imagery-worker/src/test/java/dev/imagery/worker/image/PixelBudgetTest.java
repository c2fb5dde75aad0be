package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

class PixelBudgetTest {

    @Test
    void anImageWaitsUntilTheImagesBeforeItReleaseTheirPixels() throws Exception {
        PixelBudget budget = new PixelBudget(20_000_000);
        long all = budget.available();
        PixelBudget.Lease first = budget.acquire(4000, 3000); // 12 MP

        CompletableFuture<PixelBudget.Lease> second = CompletableFuture.supplyAsync(() -> acquire(budget, 4000, 3000));

        assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        first.close();
        second.get(5, TimeUnit.SECONDS).close();
        assertThat(budget.available()).isEqualTo(all);
    }

    @Test
    void smallImagesShareTheBudget() throws Exception {
        PixelBudget budget = new PixelBudget(20_000_000);
        try (PixelBudget.Lease a = budget.acquire(2000, 2000); PixelBudget.Lease b = budget.acquire(2000, 2000);
                PixelBudget.Lease c = budget.acquire(2000, 2000)) {
            assertThat(budget.available()).isBetween(7_990_000L, 8_000_000L);
        }
    }

    @Test
    void anImageLargerThanTheWholeBudgetRunsAloneInsteadOfWaitingForever() throws Exception {
        PixelBudget budget = new PixelBudget(10_000_000);
        try (PixelBudget.Lease huge = budget.acquire(6000, 3000)) { // 18 MP
            assertThat(budget.available()).isZero();
            CompletableFuture<PixelBudget.Lease> small = CompletableFuture.supplyAsync(() -> acquire(budget, 100, 100));
            assertThatThrownBy(() -> small.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
            huge.close();
            small.get(5, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void closingALeaseTwiceGivesBackItsPixelsOnce() throws Exception {
        PixelBudget budget = new PixelBudget(10_000_000);
        long all = budget.available();
        PixelBudget.Lease lease = budget.acquire(1000, 1000);
        lease.close();
        lease.close();
        assertThat(budget.available()).isEqualTo(all);
    }

    @Test
    void aWorkerStoppingWhileAnImageWaitsForMemoryRetriesTheImageInsteadOfFailingIt() throws Exception {
        PixelBudget budget = new PixelBudget(1_000_000);
        long all = budget.available();
        SepiaProcessor processor = new SepiaProcessor(SepiaSettings.defaults(), budget);
        byte[] png = SepiaProcessorTest.png(new BufferedImage(1200, 1000, BufferedImage.TYPE_INT_RGB)).readAllBytes();

        try (PixelBudget.Lease taken = budget.acquire(1000, 1000)) {
            CompletableFuture<Throwable> waiting = new CompletableFuture<>();
            Thread worker = new Thread(() -> {
                try {
                    processor.process(new ByteArrayInputStream(png));
                    waiting.complete(null);
                } catch (Throwable e) {
                    waiting.complete(e);
                }
            });
            worker.start();
            Thread.sleep(300);
            assertThat(waiting).isNotDone();
            worker.interrupt();
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
        }
        assertThat(budget.available()).isEqualTo(all);
    }

    @Test
    void aFinishedImagesRasterIsLentToTheNextImageOfAboutItsSize() throws Exception {
        PixelBudget budget = new PixelBudget(10_000_000);
        byte[] first = finishedImage(budget, 1000, 1000);
        try (PixelBudget.Lease lease = budget.acquire(950, 1000); PixelBudget.Lease other = budget.acquire(1000, 1000)) {
            BufferedImage next = lease.allocate(950, 1000, false);
            assertThat(raster(next)).isSameAs(first);
            assertThat(next.getType()).isEqualTo(BufferedImage.TYPE_3BYTE_BGR);
            assertThat(StandardImage.isStandard(next)).isTrue();
            // Lent once at a time: an image in flight alongside gets its own.
            assertThat(raster(other.allocate(1000, 1000, false))).isNotSameAs(first);
        }
    }

    @Test
    void aRasterMuchLargerThanTheImageIsNotLentToIt() throws Exception {
        PixelBudget budget = new PixelBudget(10_000_000);
        byte[] large = finishedImage(budget, 1000, 1000);
        try (PixelBudget.Lease lease = budget.acquire(500, 500)) {
            BufferedImage small = lease.allocate(500, 500, true);
            assertThat(raster(small)).isNotSameAs(large).hasSize(500 * 500 * 4);
            assertThat(small.getType()).isEqualTo(BufferedImage.TYPE_4BYTE_ABGR);
        }
    }

    @Test
    void spareRastersAreDroppedBeforeTheRastersPassWhatTheBudgetAdmits() throws Exception {
        PixelBudget budget = new PixelBudget(1_000_000); // 3 MB of rasters
        finishedImage(budget, 1000, 1000);
        assertThat(budget.spareBytes()).isEqualTo(3_000_000);
        try (PixelBudget.Lease lease = budget.acquire(700, 700)) {
            lease.allocate(700, 700, false);
            assertThat(budget.spareBytes()).as("the 3 MB spare, too large to lend, is let go").isZero();
        }
        assertThat(budget.spareBytes()).isEqualTo(700 * 700 * 3);
    }

    /** The raster of an opaque image that has been processed and let go. */
    private static byte[] finishedImage(PixelBudget budget, int width, int height) throws InterruptedException {
        try (PixelBudget.Lease lease = budget.acquire(width, height)) {
            return raster(lease.allocate(width, height, false));
        }
    }

    private static byte[] raster(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }

    private static PixelBudget.Lease acquire(PixelBudget budget, long width, long height) {
        try {
            return budget.acquire(width, height);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
