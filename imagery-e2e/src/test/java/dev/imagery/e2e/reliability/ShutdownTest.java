package dev.imagery.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import dev.imagery.e2e.ImageryClient;
import dev.imagery.e2e.ServiceJar;
import dev.imagery.test.corpus.Corpus;
import dev.imagery.test.aws.Backend;

/**
 * Scenario 7: shutdown and long work. SIGTERM lets a worker finish its images in flight (within the shutdown
 * timeout) and lets the API finish the requests it is serving; an idle worker is gone within seconds; while a
 * large image is processed, its message stays invisible (the heartbeat extends it), so no second worker starts
 * it, though processing takes longer than the queue's visibility timeout.
 */
class ShutdownTest extends ReliabilityScenario {

    private static final Path LARGE = Corpus.photo("xlarge_17.9MP_Elephants.jpg");

    /**
     * Real settings of the worker that make it slow: the strongest deflate level, on one thread, as an operator
     * who wants the smallest files might set it; and one image at a time, so it holds only the one under test.
     */
    static final List<String> SLOW_SETTINGS = List.of("--imagery.sepia.png-compression-level=9",
            "--imagery.sepia.parallel-png-compression=false", "--imagery.worker.concurrency=1");

    ShutdownTest(Backend backend) {
        super(backend);
    }

    @Test
    void sigtermLetsTheWorkerFinishWhatItHolds() {
        ImageryClient api = cluster.client();
        String id = api.createId();
        assertThat(api.upload(id, LARGE, "application/json").statusCode()).isEqualTo(200);
        ServiceJar holder = awaitHolder(id);

        Instant term = Instant.now();
        int exit = holder.terminate(Duration.ofSeconds(40));
        long stoppedAfterMs = Duration.between(term, Instant.now()).toMillis();

        api.awaitState(id, Duration.ofSeconds(60), "processed");
        boolean finishedByHolder = holder.count(line -> line.contains("Processed image " + id)) == 1;
        int starts = Fleet.starts(cluster.workers()).getOrDefault(id, 0);
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("worker stopped after SIGTERM", stoppedAfterMs + " ms");
        figures.put("exit code", exit);
        figures.put("finished by the stopping worker", finishedByHolder);
        figures.put("processing runs", starts);
        Reliability.figures("7a worker SIGTERM", figures);

        assertThat(exit).as("exited by itself within the grace period").isNotEqualTo(-1);
        assertThat(stoppedAfterMs).isLessThan(35_000);
        assertThat(finishedByHolder).isTrue();
        assertThat(starts).isEqualTo(1);
    }

    @Test
    void sigtermStopsAnIdleWorkerWithinItsPoll() {
        ImageryClient api = cluster.client();
        String id = api.createId();
        assertThat(api.upload(id, Corpus.photo("small_0.3MP_chelsea.png"), "application/json").statusCode()).isEqualTo(200);
        api.awaitState(id, Duration.ofSeconds(60), "processed");
        ServiceJar worker = workerThatLogged("Processed image " + id);

        // Done with its image, the worker polls again at once: the SIGTERM meets a poll that has just begun.
        Instant term = Instant.now();
        int exit = worker.terminate(Duration.ofSeconds(40));
        long stoppedAfterMs = Duration.between(term, Instant.now()).toMillis();
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("idle worker stopped after SIGTERM", stoppedAfterMs + " ms");
        figures.put("exit code", exit);
        Reliability.figures("7d idle worker SIGTERM", figures);

        assertThat(exit).as("exited by itself").isNotEqualTo(-1);
        // Its listener waits for that poll to return (5 s at most), then nothing else is waited for. With the
        // 20 s polls of before, this took 20.5 s.
        assertThat(stoppedAfterMs).isLessThan(10_000);
    }

    @Test
    void aLongImageKeepsItsMessageInvisibleSoNoSecondWorkerStartsIt() throws IOException {
        Path image = twoToneNoise(cluster.logDir().resolve("two-tone-noise.png"), 3000, 1500);
        // The slow worker must be the one that receives the message: the fleet's workers stop meanwhile.
        ServiceJar slow = cluster.extraWorker("worker-slow", SLOW_SETTINGS).start();
        try {
            cluster.workers().parallelStream().forEach(worker -> worker.terminate(Duration.ofSeconds(30)));
            slow.awaitReady(ImageryCluster.READY);
            ImageryClient api = cluster.client();
            String id = api.createId();
            assertThat(api.upload(id, image, "application/json").statusCode()).isEqualTo(200);
            assertThat(Reliability.await(Duration.ofSeconds(30), () -> Fleet.inFlight(slow).contains(id)))
                    .as("the slow worker started image %s", id).isTrue();

            // While it works, the fleet's two workers come back and poll: without the heartbeat the message
            // would be visible again one visibility timeout after the receive, and one of them would take it.
            cluster.workers().forEach(ServiceJar::start);
            cluster.workers().parallelStream().forEach(worker -> worker.awaitReady(ImageryCluster.READY));
            Instant othersPolling = Instant.now();
            // The run ends "Processed image", or, when a sweeper re-send (below) was processed first elsewhere,
            // "Image ... is already processed" after the lost race.
            Predicate<String> runEnded = line -> line.contains("Processed image " + id) || line.contains("Image " + id + " is already");
            assertThat(Reliability.await(Duration.ofSeconds(150), () -> slow.count(runEnded) > 0))
                    .as("the slow worker finished its run").isTrue();
            api.awaitState(id, Duration.ofSeconds(30), "processed");
            Instant started = slow.lines(line -> line.contains("Processing image " + id)).get(0).at();
            Instant finished = slow.lines(runEnded).get(0).at();

            List<ServiceJar> allWorkers = List.of(slow, cluster.workers().get(0), cluster.workers().get(1));
            long runsOfTheUploadsMessage = allWorkers.stream()
                    .mapToLong(worker -> worker.count(line -> line.contains("Processing image " + id + " (version 1)"))).sum();
            int runs = Fleet.starts(allWorkers).getOrDefault(id, 0);
            // Uploads left in uploaded longer than stuck-after are re-sent as new messages (another version),
            // which the heartbeat does not and should not hold back.
            long resends = cluster.apis().stream()
                    .mapToLong(a -> a.count(line -> line.contains("Image " + id + " waited in uploaded"))).sum();
            Duration processing = Duration.between(started, finished);
            Instant visibleWithoutHeartbeat = started.plusSeconds(ImageryCluster.VISIBILITY_SECONDS);
            Duration othersPolledWhileItWouldHaveBeenVisible = Duration.between(
                    othersPolling.isAfter(visibleWithoutHeartbeat) ? othersPolling : visibleWithoutHeartbeat, finished);

            Map<String, Object> figures = new LinkedHashMap<>();
            figures.put("image", "4.5 MP two-tone noise PNG on one worker with " + String.join(" ", SLOW_SETTINGS));
            figures.put("processing took", processing.toMillis() + " ms");
            figures.put("visibility timeout", ImageryCluster.VISIBILITY_SECONDS + " s");
            figures.put("two other workers polling while it would have been visible",
                    othersPolledWhileItWouldHaveBeenVisible.toMillis() + " ms");
            figures.put("runs of the upload's message", runsOfTheUploadsMessage);
            figures.put("sweeper re-sends (stuck-after " + ImageryCluster.STUCK_AFTER_SECONDS + " s)", resends);
            figures.put("processing runs", runs);
            Reliability.figures("7b visibility heartbeat", figures);

            Duration twoTimeouts = Duration.ofSeconds(2L * ImageryCluster.VISIBILITY_SECONDS);
            assertThat(processing).as("processing outlasted the visibility timeout twice over").isGreaterThan(twoTimeouts);
            // A waiting long poll gets a message the moment it is visible: a few seconds of it would have been plenty.
            assertThat(othersPolledWhileItWouldHaveBeenVisible).as("free workers polled for half a visibility timeout"
                    + " or more while the message would have been visible").isGreaterThanOrEqualTo(
                    Duration.ofSeconds(ImageryCluster.VISIBILITY_SECONDS / 2));
            assertThat(runsOfTheUploadsMessage).as("the upload's message was never redelivered").isEqualTo(1);
            // A re-send that arrives once the slow worker has recorded the image ends without a run ("already
            // processed"): with processing close to stuck-after, either can happen.
            assertThat((long) runs).as("no run without a message: the upload's, and at most one per re-send")
                    .isBetween(1L, 1 + resends);
        } finally {
            slow.terminate(Duration.ofSeconds(30));
        }
    }

    /**
     * Random pixels of two grey levels: a hard input for deflate at level 9 (every few bytes repeat in the
     * window, so each position walks a long hash chain, yet matches stay short). Measured here for 6 MP: 17-23 s
     * at level 9 on one thread, 0.5 s with the default settings. Seeded: every run gets the same image.
     */
    private static Path twoToneNoise(Path file, int width, int height) throws IOException {
        if (Files.exists(file)) {
            return file;
        }
        BufferedImage noise = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(7);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                noise.setRGB(x, y, random.nextBoolean() ? 0x141414 : 0x787878);
            }
        }
        ImageIO.write(noise, "png", file.toFile());
        return file;
    }

    @Test
    void sigtermLetsTheApiFinishTheUploadItIsReceiving() throws Exception {
        ServiceJar apiProcess = cluster.apis().get(1);
        ImageryClient api = cluster.client(1);
        String id = api.createId();
        byte[] photo = Files.readAllBytes(Corpus.photo("medium_4.1MP_LadyBird.jpg"));
        // A slow client: the upload trickles in over about three seconds.
        CompletableFuture<Optional<HttpResponse<String>>> upload = CompletableFuture.supplyAsync(() -> api.attempt(
                api.uploadRequest(id, BodyPublishers.ofInputStream(() -> new SlowStream(photo, Duration.ofSeconds(3))),
                        "LadyBird.jpg", "application/json")));
        Reliability.sleep(Duration.ofSeconds(1));
        Instant term = Instant.now();
        int exit = apiProcess.terminate(Duration.ofSeconds(40));
        long stoppedAfterMs = Duration.between(term, Instant.now()).toMillis();
        Optional<HttpResponse<String>> answer = upload.get();

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("upload in flight at SIGTERM", answer.map(r -> Integer.toString(r.statusCode())).orElse("connection lost"));
        figures.put("API stopped after", stoppedAfterMs + " ms");
        figures.put("exit code", exit);
        Reliability.figures("7c API SIGTERM", figures);

        assertThat(answer).as("the request in flight was answered").isPresent();
        assertThat(answer.get().statusCode()).as(answer.get().body()).isEqualTo(200);
        cluster.client(0).awaitState(id, Duration.ofSeconds(60), "processed");
    }

    /** The fleet's worker that has {@code id} in flight, taken as soon as one has. */
    private ServiceJar awaitHolder(String id) {
        return awaitWorker(Duration.ofSeconds(60), worker -> Fleet.inFlight(worker).contains(id),
                "a worker started image " + id);
    }

    /** The fleet's worker that logged {@code text}, once one has. */
    private ServiceJar workerThatLogged(String text) {
        return awaitWorker(Duration.ofSeconds(10), worker -> worker.count(line -> line.contains(text)) > 0,
                "a worker logged " + text);
    }

    /** The first of the fleet's workers that {@code matches} within {@code time}, taken at that moment. */
    private ServiceJar awaitWorker(Duration time, Predicate<ServiceJar> matches, String what) {
        AtomicReference<ServiceJar> found = new AtomicReference<>();
        assertThat(Reliability.await(time, () -> {
            found.set(cluster.workers().stream().filter(matches).findFirst().orElse(null));
            return found.get() != null;
        })).as(what).isTrue();
        return found.get();
    }

    /** Gives out its bytes evenly over {@code duration}. */
    private static final class SlowStream extends InputStream {
        private final byte[] bytes;
        private final long nanosPerKb;
        private int position;

        SlowStream(byte[] bytes, Duration duration) {
            this.bytes = bytes;
            this.nanosPerKb = duration.toNanos() / Math.max(1, bytes.length / 1024);
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, 1024), bytes.length - position);
            System.arraycopy(bytes, position, buffer, offset, n);
            position += n;
            try {
                Thread.sleep(nanosPerKb / 1_000_000, (int) (nanosPerKb % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            return n;
        }
    }
}
