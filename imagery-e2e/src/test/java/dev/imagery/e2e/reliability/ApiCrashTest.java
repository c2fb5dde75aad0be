package dev.imagery.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.imagery.e2e.ImageryClient;
import dev.imagery.e2e.ServiceJar;
import dev.imagery.test.aws.Backend;

/**
 * Scenario 1, API side: an API process dies with SIGKILL under load (an instance replaced mid-request). Clients
 * retry on the other API; an upload whose message died with the process is re-sent by the sweeper. Every
 * upload answered 200 is processed; nothing answers a 5xx other than a retryable 503.
 */
class ApiCrashTest extends ReliabilityScenario {

    ApiCrashTest(Backend backend) {
        super(backend);
    }

    @Test
    void killedApisLoseNoUpload() throws Exception {
        int kills = Reliability.count(1, 6);
        LoadWithRetries load = new LoadWithRetries(List.of(cluster.client(0), cluster.client(1)), Fleet.PHOTOS,
                Duration.ofMillis(100));
        Thread users = new Thread(load, "api-crash-load");
        users.start();
        for (int k = 0; k < kills; k++) {
            Reliability.sleep(Duration.ofSeconds(3));
            ServiceJar victim = cluster.apis().get(k % cluster.apis().size());
            victim.kill();
            System.out.println("[reliability] SIGKILL " + victim);
            Reliability.sleep(Duration.ofSeconds(1));
            victim.start().awaitReady(ImageryCluster.READY);
        }
        Reliability.sleep(Duration.ofSeconds(3));
        load.stop();
        users.join(Duration.ofSeconds(150).toMillis());

        ImageryClient api = cluster.client();
        List<String> ids = List.copyOf(load.completed);
        // The sweeper's stuck-after bounds how long an upload whose message died with the API may wait.
        boolean allProcessed = Reliability.await(Duration.ofSeconds(ImageryCluster.STUCK_AFTER_SECONDS + 90),
                () -> Fleet.notIn(api, ids, "processed").isEmpty());
        List<String> notProcessed = Fleet.notIn(api, ids, "processed");

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("API kills", kills);
        figures.put("requests answered", load.total());
        figures.put("connections refused or cut (retried on the other API)", load.connectionFailures.get());
        figures.put("uploads cut after landing (retry answered 409 processed)", load.landedBeforeCut.get());
        figures.put("503", load.count(503));
        figures.put("other 5xx", load.serverErrorsOtherThan503());
        figures.put("uploads answered 200", ids.size());
        figures.put("lost", notProcessed.size());
        Reliability.figures("1b API SIGKILL", figures);

        assertThat(load.badAnswers).isEmpty();
        assertThat(allProcessed).as("not processed: %s", notProcessed).isTrue();
        assertThat(Fleet.halfWritten(cluster, api, ids)).isEmpty();
    }
}
