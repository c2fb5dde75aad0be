package dev.imagery.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.imagery.e2e.ImageryClient;
import dev.imagery.test.aws.Backend;
import tools.jackson.databind.JsonNode;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Scenario 2: the same message delivered many times, to two workers at once (SQS is at-least-once; the
 * sweeper and client retries add more copies). Exactly one transition wins, the other deliveries notice and
 * are acknowledged, and the result is the one of a single delivery: same version, same two objects.
 */
class DuplicateDeliveryTest extends ReliabilityScenario {

    DuplicateDeliveryTest(Backend backend) {
        super(backend);
    }

    @Test
    void manyCopiesOfAMessageAreProcessedOnceAndAcknowledged() {
        int imageCount = Reliability.count(4, 20);
        int copies = Reliability.count(20, 50);
        ImageryClient api = cluster.client();
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < imageCount; n++) {
            String id = api.createId();
            assertThat(api.upload(id, Fleet.MEDIUM_PHOTOS.get(n % Fleet.MEDIUM_PHOTOS.size()), "application/json")
                    .statusCode()).isEqualTo(200);
            ids.add(id);
            // Straight to the queue, in batches of ten, while the upload's own message is there too.
            for (int sent = 0; sent < copies; sent += 10) {
                List<SendMessageBatchRequestEntry> batch = new ArrayList<>();
                for (int c = sent; c < Math.min(copies, sent + 10); c++) {
                    batch.add(SendMessageBatchRequestEntry.builder().id("copy" + c)
                            .messageBody("{\"imageId\":\"" + id + "\",\"desiredState\":\"processed\"}").build());
                }
                cluster.sqs().sendMessageBatch(send -> send.queueUrl(cluster.queueUrl()).entries(batch));
            }
        }

        for (String id : ids) {
            api.awaitState(id, Duration.ofSeconds(120), "processed");
        }
        // Every copy is acknowledged: the queue empties (other scenarios are not running meanwhile).
        boolean drained = Reliability.await(Duration.ofSeconds(90), () -> cluster.messages(cluster.queueUrl()) == 0);
        List<String> deadLettered = cluster.drainDeadLetters().stream()
                .filter(body -> ids.stream().anyMatch(body::contains)).toList();

        Map<String, Integer> starts = Fleet.starts(cluster.workers());
        int runs = 0;
        int extraObjects = 0;
        for (String id : ids) {
            JsonNode image = api.image(id);
            // upload → version 1, processed → version 2: one winning transition, whatever the copies did. (Plus
            // one for each time a sweeper re-sent the message of an image that waited long in the backlog.)
            long requeues = cluster.apis().stream()
                    .mapToLong(a -> a.count(line -> line.contains("Image " + id + " waited in uploaded"))).sum();
            assertThat(image.get("version").asLong()).as(image.toString()).isEqualTo(2 + requeues);
            List<String> processed = cluster.objects("processed/" + id + "/");
            assertThat(processed).containsExactlyInAnyOrder(image.get("processedS3Key").asString(),
                    image.get("thumbnailS3Key").asString());
            assertThat(cluster.objects("raw/" + id + "/")).containsExactly(image.get("rawS3Key").asString());
            runs += starts.getOrDefault(id, 0);
            extraObjects += processed.size() - 2;
        }
        long acknowledgedWithoutWork = cluster.workers().stream().mapToLong(worker -> worker.count(line -> ids.stream()
                .anyMatch(id -> line.contains("Image " + id + " is already processed")))).sum();

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("images", imageCount);
        figures.put("deliveries", imageCount * (copies + 1));
        figures.put("winning transitions", imageCount);
        figures.put("processing runs", runs);
        figures.put("acknowledged without work", acknowledgedWithoutWork);
        figures.put("duplicated objects", extraObjects);
        figures.put("dead-lettered", deadLettered.size());
        figures.put("queue drained", drained);
        Reliability.figures("2 duplicate delivery", figures);

        assertThat(drained).as("every copy acknowledged").isTrue();
        assertThat(deadLettered).isEmpty();
        assertThat(extraObjects).isZero();
    }
}
