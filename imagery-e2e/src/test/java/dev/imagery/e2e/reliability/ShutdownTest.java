package dev.imagery.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.imagery.e2e.ImageryClient;
import dev.imagery.test.corpus.Corpus;

/**
 * Scenario 7: shutdown and long work. SIGTERM lets a worker finish its images in flight (within the shutdown
 * timeout) and lets the API finish the requests it is serving; while a large image is processed, its message
 * stays invisible (the heartbeat extends it), so no second worker starts it, though processing takes longer
 * than the queue's visibility timeout.
 */
class ShutdownTest {

    private static final Path LARGE = Corpus.photo("xlarge_17.9MP_Elephants.jpg");

    private final ImageryCluster cluster = ImageryCluster.shared();

    @AfterEach
    void heal() {
        cluster.heal();
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
    void aLongImageKeepsItsMessageInvisibleSoNoSecondWorkerStartsIt() {
        ImageryClient api = cluster.client();
        // Four large images at once: two per worker share the two cores, so each takes well over the
        // visibility timeout, and the other worker is free to take any message that became visible.
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            String id = api.createId();
            api.upload(id, LARGE, "application/json");
            ids.add(id);
        }
        Instant start = Instant.now();
        for (String id : ids) {
            api.awaitState(id, Duration.ofSeconds(180), "processed");
        }
        long slowestMs = Duration.between(start, Instant.now()).toMillis();
        Map<String, Integer> starts = Fleet.starts(cluster.workers());
        int runs = ids.stream().mapToInt(id -> starts.getOrDefault(id, 0)).sum();

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("large images", ids.size());
        figures.put("processing took up to", slowestMs + " ms");
        figures.put("visibility timeout", ImageryCluster.VISIBILITY_SECONDS + " s");
        figures.put("processing runs", runs);
        Reliability.figures("7b visibility heartbeat", figures);

        assertThat(runs).as("one processing run per image").isEqualTo(ids.size());
        // Only meaningful where the work outlasted the visibility timeout; a fast machine finishes sooner.
        boolean outlasted = slowestMs > ImageryCluster.VISIBILITY_SECONDS * 1000L;
        if (!outlasted) {
            System.out.println("[reliability] 7b inconclusive: the images took " + slowestMs
                    + " ms, not longer than the " + ImageryCluster.VISIBILITY_SECONDS + " s visibility timeout");
        }
        assumeTrue(outlasted, "the images finished within the visibility timeout; nothing to extend");
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

    private ServiceJar awaitHolder(String id) {
        ServiceJar[] holder = new ServiceJar[1];
        assertThat(Reliability.await(Duration.ofSeconds(60), () -> {
            for (ServiceJar worker : cluster.workers()) {
                if (Fleet.inFlight(worker).contains(id)) {
                    holder[0] = worker;
                    return true;
                }
            }
            return false;
        })).as("a worker started image %s", id).isTrue();
        return holder[0];
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
