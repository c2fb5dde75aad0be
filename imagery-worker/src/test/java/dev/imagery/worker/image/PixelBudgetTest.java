package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
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
                    processor.process(new java.io.ByteArrayInputStream(png));
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

    private static PixelBudget.Lease acquire(PixelBudget budget, long width, long height) {
        try {
            return budget.acquire(width, height);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
