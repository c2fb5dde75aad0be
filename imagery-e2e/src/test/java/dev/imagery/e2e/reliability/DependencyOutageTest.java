package dev.imagery.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.imagery.e2e.ImageryClient;
import dev.imagery.e2e.ServiceJar;
import dev.imagery.local.AwsService;
import dev.imagery.test.aws.Backend;

/**
 * Scenario 5: S3, DynamoDB or SQS stops (connections refused) or freezes (connections accepted, never answered)
 * for about ten seconds under load, then comes back. The API answers 503 problem+json with Retry-After, never a
 * 500; the workers retry with a back-off; after the recovery every image completes, and no processed record
 * points to a missing object.
 */
class DependencyOutageTest extends ReliabilityScenario {

    DependencyOutageTest(Backend backend) {
        super(whereOneServiceCanStop(backend));
    }

    private long workerWarnings() {
        return cluster.workers().stream().mapToLong(worker -> worker.count(line -> line.contains("will be retried after a back-off")))
                .sum();
    }

    @ParameterizedTest
    @EnumSource(AwsService.class)
    void anOutageUnderLoadIsA503AndEveryImageCompletesAfterIt(AwsService service) throws Exception {
        underLoad(service, "outage", Duration.ofSeconds(Reliability.count(10, 30)), () -> cluster.stop(service),
                () -> cluster.start(service));
    }

    @ParameterizedTest
    @EnumSource(AwsService.class)
    void aFrozenServerUnderLoadIsA503AndEveryImageCompletesAfterItIsThawed(AwsService service) throws Exception {
        // Longer than the 10 s bounds on the API's calls, so the timeouts (not the thaw) end the hung calls.
        underLoad(service, "frozen", Duration.ofSeconds(Reliability.count(20, 30)), () -> cluster.freeze(service),
                () -> cluster.thaw(service));
    }

    private void underLoad(AwsService service, String kind, Duration outage, Runnable down, Runnable up)
            throws Exception {
        LoadWithRetries load = new LoadWithRetries(List.of(cluster.client(0), cluster.client(1)), Fleet.PHOTOS,
                Duration.ofMillis(200));
        Thread users = new Thread(load, "outage-load");
        users.start();
        Reliability.sleep(Duration.ofSeconds(2));

        // A backlog the workers are in the middle of when the server goes away.
        List<String> backlog = new CopyOnWriteArrayList<>();
        IntStream.range(0, 6).parallel().forEach(n -> {
            ImageryClient api = cluster.client(n % 2);
            String id = api.createId();
            assertThat(api.upload(id, Fleet.MEDIUM_PHOTOS.get(n % Fleet.MEDIUM_PHOTOS.size()), "application/json")
                    .statusCode()).isEqualTo(200);
            backlog.add(id);
        });
        long warningsBefore = workerWarnings();
        // One upload (S3, DynamoDB and SQS) timed from the start of the outage: how long a user waits for an answer.
        ImageryClient prober = cluster.client(0);
        String probeId = prober.createId();
        Instant wentDown = Instant.now();
        down.run();
        CompletableFuture<String> probe = CompletableFuture.supplyAsync(() -> {
            long sent = System.nanoTime();
            String status = prober.attempt(prober.uploadRequest(probeId, Fleet.PHOTOS.get(0), "application/json"))
                    .map(response -> Integer.toString(response.statusCode())).orElse("no answer");
            return status + " after " + (System.nanoTime() - sent) / 1_000_000 + " ms";
        });
        Reliability.sleep(outage);
        up.run();
        Instant cameBack = Instant.now();
        Reliability.sleep(Duration.ofSeconds(2));
        load.stop();
        users.join(Duration.ofSeconds(150).toMillis());

        ImageryClient api = cluster.client();
        List<String> ids = new ArrayList<>(load.completed);
        ids.addAll(backlog);
        boolean allProcessed = Reliability.await(Duration.ofSeconds(180),
                () -> Fleet.notIn(api, ids, "processed").isEmpty());
        long recoveredAfterMs = Duration.between(cameBack, Instant.now()).toMillis();
        List<String> notProcessed = Fleet.notIn(api, ids, "processed");
        List<String> halfWritten = Fleet.halfWritten(cluster, api, ids);
        long workerRetries = workerWarnings() - warningsBefore;
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("service", service);
        figures.put(kind, Duration.between(wentDown, cameBack).toMillis() + " ms");
        figures.put("requests", load.total());
        figures.put("503 with Retry-After", load.count(503));
        figures.put("other 5xx", load.serverErrorsOtherThan503());
        figures.put("no answer within 60 s", load.connectionFailures.get());
        figures.put("probe upload at the start", probe.get(120, TimeUnit.SECONDS));
        figures.put("images", ids.size() + " (" + backlog.size() + " in the workers' backlog at the stop)");
        figures.put("lost", notProcessed.size());
        figures.put("half-written", halfWritten.size());
        figures.put("all processed after recovery", recoveredAfterMs + " ms");
        figures.put("worker retries after back-off", workerRetries);
        Reliability.figures("5 " + kind + " " + service, figures);

        assertThat(load.badAnswers).isEmpty();
        assertThat(load.serverErrorsOtherThan503()).isZero();
        // The APIs stay up, so a request without an answer is one that outlived the load balancer's 60 s.
        assertThat(load.connectionFailures.get()).isZero();
        assertThat(figures.get("probe upload at the start").toString()).doesNotStartWith("no answer");
        assertThat(allProcessed).as("not processed: %s", notProcessed).isTrue();
        assertThat(halfWritten).isEmpty();
        assertThat(ids).isNotEmpty();
        assertThat(cluster.workers()).allMatch(ServiceJar::isAlive);
        assertThat(cluster.apis()).allMatch(ServiceJar::isAlive);
    }
}
