package dev.imagery.e2e.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.imagery.e2e.ImageryClient;
import dev.imagery.e2e.ServiceJar;
import dev.imagery.test.corpus.Corpus;
import dev.imagery.test.aws.Backend;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;

/**
 * Scenario 6: poison. Uploads that can never become sepia end {@code failed} with a reason, and their messages
 * are acknowledged; messages no worker can act on (malformed JSON, unknown desiredState, unknown image) end in
 * the dead-letter queue after maxReceiveCount receives, within seconds. The workers neither crash nor spin, and
 * do not fill their logs with stack traces. Then the operator's redrive, {@code aws sqs start-message-move-task},
 * brings dead-lettered messages back to the work queue.
 */
class PoisonMessageTest extends ReliabilityScenario {

    PoisonMessageTest(Backend backend) {
        super(backend);
    }

    @Test
    void poisonEndsFailedOrDeadLetteredWithoutCrashingOrSpinningTheWorkers() {
        cluster.drainDeadLetters();
        List<Long> pids = cluster.workers().stream().map(worker -> worker.process().pid()).toList();
        long traceLinesBefore = stackTraceLines();
        Instant start = Instant.now();

        // Messages no worker can act on, straight to the queue.
        List<String> poison = List.of(
                "{not json at all",
                "[1, 2, 3]",
                "{\"imageId\":\"" + UUID.randomUUID() + "\",\"desiredState\":\"sepia\"}",
                "{\"imageId\":\"" + UUID.randomUUID() + "\",\"desiredState\":\"processed\"}",
                "{\"imageId\":\"not-a-uuid\",\"desiredState\":\"processed\"}",
                "{\"desiredState\":\"processed\"}");
        poison.forEach(cluster::sendRaw);

        // Uploads that can never succeed: the API cannot tell without decoding, the worker can.
        ImageryClient api = cluster.client();
        Map<String, String> failing = new LinkedHashMap<>();
        failing.put(api.createId(), "text");
        failing.put(api.createId(), "edge/truncated_10000B.jpg");
        failing.put(api.createId(), "edge/corrupt_header.jpg");
        failing.put(api.createId(), "edge/bomb_65536x65536.png");
        for (Map.Entry<String, String> upload : failing.entrySet()) {
            int status = upload.getValue().equals("text")
                    ? api.upload(upload.getKey(), BodyPublishers.ofString("just some text"), "notes.txt", "application/json").statusCode()
                    : api.upload(upload.getKey(), Corpus.path(upload.getValue()), "application/json").statusCode();
            assertThat(status).isEqualTo(200);
        }
        // And a good image among them: the workers keep working.
        String good = api.createId();
        api.upload(good, Corpus.photo("small_0.3MP_chelsea.png"), "application/json");

        Map<String, String> reasons = new LinkedHashMap<>();
        for (String id : failing.keySet()) {
            JsonNode image = api.awaitState(id, Duration.ofSeconds(60), "failed");
            reasons.put(failing.get(id), image.get("failureReason").asString());
            assertThat(image.get("failureReason").asString()).isNotBlank();
        }
        api.awaitState(good, Duration.ofSeconds(60), "processed");
        long failedAfterMs = Duration.between(start, Instant.now()).toMillis();

        List<String> deadLetters = new ArrayList<>();
        boolean allDeadLettered = Reliability.await(Duration.ofSeconds(120), () -> {
            deadLetters.addAll(cluster.drainDeadLetters());
            return deadLetters.containsAll(poison);
        });
        long deadLetteredAfterMs = Duration.between(start, Instant.now()).toMillis();
        List<Long> pidsAfter = cluster.workers().stream().map(worker -> worker.process().pid()).toList();
        long traceLines = stackTraceLines() - traceLinesBefore;
        long poisonLogLines = cluster.workers().stream().mapToLong(worker -> worker.count(line -> line.contains("Poison message"))).sum();

        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("poison messages", poison.size());
        figures.put("dead-lettered", deadLetters.stream().filter(poison::contains).count());
        figures.put("dead-lettered after", deadLetteredAfterMs + " ms");
        figures.put("unprocessable uploads", failing.size());
        figures.put("failed with a reason", reasons.size());
        figures.put("all failed/processed after", failedAfterMs + " ms");
        figures.put("worker restarts", pids.equals(pidsAfter) ? 0 : "yes");
        figures.put("poison log lines", poisonLogLines);
        figures.put("stack trace lines", traceLines);
        Reliability.figures("6 poison", figures);
        System.out.println("[reliability] failure reasons: " + reasons);

        assertThat(allDeadLettered).as("dead letters %s", deadLetters).isTrue();
        assertThat(pidsAfter).as("no worker crashed").isEqualTo(pids);
        assertThat(cluster.workers()).allMatch(ServiceJar::isAlive);
        assertThat(traceLines).as("stack traces in the workers' logs").isZero();
        assertThat(poisonLogLines).as("one line per receive, bounded by maxReceiveCount")
                .isLessThanOrEqualTo((long) poison.size() * (ImageryCluster.MAX_RECEIVE_COUNT + 1));
        assertThat(reasons.get("edge/bomb_65536x65536.png")).containsIgnoringCase("pixels");
    }

    /**
     * A message dead-lettered during a long outage (or a bug, since fixed) is moved back with the operator's
     * command, {@code aws sqs start-message-move-task --source-arn <dead-letter queue ARN>}, and processed.
     */
    @Test
    void theRedriveCommandMovesDeadLettersBackToTheWorkQueue() {
        cluster.drainDeadLetters();
        // An upload whose message ended in the dead-letter queue: the record, the file and the message as the
        // API wrote them, only the message went to the dead-letter queue.
        String id = UUID.randomUUID().toString();
        String raw = "raw/" + id + "/" + UUID.randomUUID();
        cluster.s3().putObject(put -> put.bucket(cluster.aws().resources().bucket()).key(raw),
                RequestBody.fromFile(Corpus.photo("small_0.3MP_chelsea.png")));
        long now = System.currentTimeMillis();
        try (DynamoDbClient dynamoDb = cluster.aws().endpoints().dynamoDbClient()) {
            dynamoDb.putItem(put -> put.tableName(cluster.aws().resources().table()).item(Map.of(
                    "id", AttributeValue.fromS(id), "version", AttributeValue.fromN("1"),
                    "state", AttributeValue.fromS("uploaded"), "created", AttributeValue.fromN(Long.toString(now)),
                    "updated", AttributeValue.fromN(Long.toString(now)), "rawS3Key", AttributeValue.fromS(raw))));
        }
        cluster.sqs().sendMessage(send -> send.queueUrl(cluster.deadLetterQueueUrl())
                .messageBody("{\"imageId\":\"" + id + "\",\"desiredState\":\"processed\"}"));

        String arn = cluster.sqs().getQueueAttributes(get -> get.queueUrl(cluster.deadLetterQueueUrl())
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        Instant start = Instant.now();
        cluster.sqs().startMessageMoveTask(move -> move.sourceArn(arn)); // = aws sqs start-message-move-task
        JsonNode processed = cluster.client().awaitState(id, Duration.ofSeconds(ImageryCluster.STUCK_AFTER_SECONDS - 5),
                "processed");
        long ms = Duration.between(start, Instant.now()).toMillis();
        assertThat(cluster.exists(processed.get("processedS3Key").asString())).isTrue();
        assertThat(cluster.messages(cluster.deadLetterQueueUrl())).isZero();
        Reliability.figures("6 redrive", Map.of("redriven", 1, "processed after", ms + " ms"));
    }

    private long stackTraceLines() {
        return cluster.workers().stream().mapToLong(worker -> worker.count(line -> line.startsWith("\tat "))).sum();
    }
}
