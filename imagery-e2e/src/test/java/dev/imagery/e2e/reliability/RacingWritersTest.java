package dev.imagery.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.imagery.e2e.ImageryClient;
import dev.imagery.test.aws.Backend;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 3: racing writers. Concurrent uploads to one image through both APIs, and uploads racing the
 * worker. Optimistic locking decides: every request gets 200 or a clear 409, no successful write is lost
 * (each 200 carries a version of its own), and the final record's keys point to objects that exist, the
 * processed image being made from the upload the record names.
 */
class RacingWritersTest extends ReliabilityScenario {

    /** From "the worker has not started" to "the worker is probably done": both outcomes of the race occur. */
    private static final long[] RACE_DELAYS_MS = {0, 400, 1000, 2000, 3500, 6000};

    RacingWritersTest(Backend backend) {
        super(backend);
    }

    @Test
    void concurrentUploadsToOneImageAreDecidedByOptimisticLocking() throws Exception {
        int rounds = Reliability.count(3, 20);
        int racers = 8;
        int ok = 0;
        int conflicts = 0;
        int otherStatus = 0;
        int retriedOk = 0;
        Map<String, Integer> successes = new LinkedHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(racers);
        try {
            for (int round = 0; round < rounds; round++) {
                String id = cluster.client().createId();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (int r = 0; r < racers; r++) {
                    ImageryClient api = cluster.client(r % cluster.apis().size());
                    Path photo = Fleet.PHOTOS.get(r % Fleet.PHOTOS.size());
                    answers.add(threads.submit(() -> {
                        start.await();
                        return api.upload(id, photo, "application/json");
                    }));
                }
                start.countDown();
                Set<Long> winningVersions = new HashSet<>();
                int winners = 0;
                for (Future<HttpResponse<String>> answer : answers) {
                    HttpResponse<String> response = answer.get();
                    if (response.statusCode() == 200) {
                        winners++;
                        winningVersions.add(ImageryClient.json(response).get("version").asLong());
                    } else if (response.statusCode() == 409) {
                        conflicts++;
                        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                        assertThat(ImageryClient.json(response).get("detail").asString()).isNotBlank();
                    } else {
                        otherStatus++;
                    }
                }
                ok += winners;
                // No lost update: every successful upload wrote a version of its own.
                assertThat(winningVersions).hasSize(winners);
                // A loser that retries succeeds while the image still takes uploads.
                HttpResponse<String> retry = cluster.client().upload(id, Fleet.PHOTOS.get(0), "application/json");
                assertThat(retry.statusCode()).isIn(200, 409);
                if (retry.statusCode() == 200) {
                    retriedOk++;
                    winners++;
                }
                successes.put(id, winners);
            }
        } finally {
            threads.shutdownNow();
        }
        for (Map.Entry<String, Integer> image : successes.entrySet()) {
            assertConsistent(cluster.client().awaitState(image.getKey(), Duration.ofSeconds(120), "processed"));
            // Losers delete their file: one raw object per successful upload, no more.
            assertThat(cluster.objects("raw/" + image.getKey() + "/")).hasSize(image.getValue());
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("images", rounds);
        figures.put("concurrent uploads", rounds * racers);
        figures.put("200", ok);
        figures.put("409", conflicts);
        figures.put("other", otherStatus);
        figures.put("loser retries that succeeded", retriedOk + "/" + rounds);
        figures.put("lost updates", 0);
        Reliability.figures("3a concurrent uploads", figures);
        assertThat(otherStatus).isZero();
        assertThat(ok).isGreaterThanOrEqualTo(rounds);
    }

    @Test
    void anUploadRacingTheWorkerEndsWithTheResultOfTheUploadTheRecordNames() throws Exception {
        int rounds = Reliability.count(6, 30);
        // The rounds run at once, each on an image of its own: a backlog, and races at every stage of the work.
        ExecutorService threads = Executors.newFixedThreadPool(rounds);
        List<Future<Integer>> seconds = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            int round = r;
            seconds.add(threads.submit(() -> {
                ImageryClient api = cluster.client(round % cluster.apis().size());
                String id = api.createId();
                assertThat(api.upload(id, Fleet.MEDIUM_PHOTOS.get(round % Fleet.MEDIUM_PHOTOS.size()), "application/json")
                        .statusCode()).isEqualTo(200);
                // The worker has the first upload by now, or is about to, or is done: a second upload races it.
                Reliability.sleep(Duration.ofMillis(RACE_DELAYS_MS[round % RACE_DELAYS_MS.length]));
                HttpResponse<String> second = api.upload(id, Fleet.PHOTOS.get(round % Fleet.PHOTOS.size()), "application/json");
                assertThat(second.statusCode()).as(second.body()).isIn(200, 409);
                if (second.statusCode() == 409) {
                    assertThat(ImageryClient.json(second).get("detail").asString()).contains("already processed");
                }
                JsonNode image = api.awaitState(id, Duration.ofSeconds(120), "processed");
                assertConsistent(image);
                return second.statusCode();
            }));
        }
        int second200 = 0;
        int second409 = 0;
        try {
            for (Future<Integer> second : seconds) {
                if (second.get() == 200) {
                    second200++;
                } else {
                    second409++;
                }
            }
        } finally {
            threads.shutdownNow();
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("images", rounds);
        figures.put("second upload 200 (worker redid the new upload)", second200);
        figures.put("second upload 409 (worker was first)", second409);
        figures.put("inconsistent records", 0);
        Reliability.figures("3b upload racing the worker", figures);
    }

    /** processed/{id}/{uploadId}.png for raw/{id}/{uploadId} (CONTRACTS.md; the e2e tests do not link imagery-common). */
    private static String processedKey(String raw, String suffix) {
        return "processed/" + raw.substring("raw/".length()) + suffix;
    }

    /** The keys point to objects that exist, and the processed ones belong to the upload the record names. */
    private void assertConsistent(JsonNode image) {
        String raw = image.get("rawS3Key").asString();
        assertThat(image.get("processedS3Key").asString()).isEqualTo(processedKey(raw, ".png"));
        assertThat(image.get("thumbnailS3Key").asString()).isEqualTo(processedKey(raw, "-thumbnail.png"));
        for (String key : List.of(raw, processedKey(raw, ".png"), processedKey(raw, "-thumbnail.png"))) {
            assertThat(cluster.exists(key)).as("%s exists", key).isTrue();
        }
    }
}
