package dev.imagery.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.imagery.e2e.ImageryClient;
import dev.imagery.local.AwsService;
import dev.imagery.test.aws.Backend;

/**
 * Scenario 4: the upload's DynamoDB write succeeds and its SQS send fails (SQS is down). The client is told
 * 503; a retried upload succeeds and enqueues; and an upload nobody retries is not left in {@code uploaded}
 * forever: the sweepers of both API processes find it after {@code imagery.sweeper.stuck-after}, exactly one
 * of them re-sends its message, and it is processed.
 */
class HalfDoneTransitionTest extends ReliabilityScenario {

    HalfDoneTransitionTest(Backend backend) {
        super(whereOneServiceCanStop(backend));
    }

    @Test
    void anUploadWhoseMessageWasNeverSentIsRetriedByTheClientOrSweptByExactlyOneApi() {
        ImageryClient api = cluster.client();
        String retried = api.createId();
        String abandoned = api.createId();

        cluster.stop(AwsService.SQS);
        HttpResponse<String> first;
        HttpResponse<String> lonely;
        try {
            first = api.upload(retried, Fleet.PHOTOS.get(0), "application/json");
            lonely = api.upload(abandoned, Fleet.PHOTOS.get(3), "application/json");
        } finally {
            cluster.start(AwsService.SQS);
        }
        Instant sqsBack = Instant.now();
        for (HttpResponse<String> response : new HttpResponse[] {first, lonely}) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        // Half done: the record says uploaded, but no message is on its way.
        assertThat(api.image(retried).get("state").asString()).isEqualTo("uploaded");
        assertThat(api.image(abandoned).get("state").asString()).isEqualTo("uploaded");

        // The client's retry succeeds and enqueues.
        assertThat(api.upload(retried, Fleet.PHOTOS.get(0), "application/json").statusCode()).isEqualTo(200);
        assertThat(api.image(retried).get("version").asLong()).as("created 0, first upload 1, retry 2").isEqualTo(2);
        api.awaitState(retried, Duration.ofSeconds(60), "processed");

        // Nobody retries the other one: a sweeper does, after stuck-after.
        api.awaitState(abandoned, Duration.ofSeconds(ImageryCluster.STUCK_AFTER_SECONDS + 60), "processed");
        long sweptAfterMs = Duration.between(sqsBack, Instant.now()).toMillis();
        long resends = cluster.apis().stream()
                .mapToLong(a -> a.count(line -> line.contains("Image " + abandoned + " waited in uploaded"))).sum();

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("uploads answered 503 while SQS was down", 2);
        figures.put("retried upload", "200, processed");
        figures.put("abandoned upload processed after", sweptAfterMs + " ms (stuck-after " + ImageryCluster.STUCK_AFTER_SECONDS + " s)");
        figures.put("API instances sweeping", cluster.apis().size());
        figures.put("re-sends", resends);
        figures.put("stuck", 0);
        Reliability.figures("4 half-done transition", figures);

        assertThat(resends).as("exactly one sweeper re-sent the message").isEqualTo(1);
    }
}
