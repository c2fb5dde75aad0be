package dev.imagery.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** The embedded stack against the real SDK clients: resources, round trips, redrive, outages. */
class EmbeddedAwsTest {

    private static EmbeddedAws aws;
    private static DynamoDbClient dynamoDb;
    private static SqsClient sqs;
    private static S3Client s3;

    @BeforeAll
    static void startStack() {
        long started = System.nanoTime();
        aws = EmbeddedAws.start();
        System.out.printf("embedded AWS started in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        dynamoDb = aws.endpoints().dynamoDbClient();
        sqs = aws.endpoints().sqsClient();
        s3 = aws.endpoints().s3Client();
    }

    @AfterAll
    static void stopStack() {
        dynamoDb.close();
        sqs.close();
        s3.close();
        aws.close();
        assertThat(aws.dataDirectory()).doesNotExist();
    }

    @Test
    void environmentHasExactlyTheContractKeysInOrder() {
        Map<String, String> env = aws.environment();
        assertThat(env.keySet()).containsExactly("AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_S3", "IMAGERY_TABLE",
                "IMAGERY_BUCKET", "IMAGERY_QUEUE", "IMAGERY_DEAD_LETTER_QUEUE");
        assertThat(env).containsEntry("AWS_REGION", "us-east-1")
                .containsEntry("IMAGERY_TABLE", "imagery-image")
                .containsEntry("IMAGERY_BUCKET", "imagery-images")
                .containsEntry("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:" + aws.port(AwsService.S3))
                .containsEntry("IMAGERY_QUEUE",
                        "http://127.0.0.1:" + aws.port(AwsService.SQS) + "/000000000000/imagery-process")
                .containsEntry("IMAGERY_DEAD_LETTER_QUEUE",
                        "http://127.0.0.1:" + aws.port(AwsService.SQS) + "/000000000000/imagery-process-dlq");
    }

    @Test
    void serversListenOnLoopbackOnly() throws Exception {
        Optional<InetAddress> external = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(nic -> Collections.list(nic.getInetAddresses()).stream())
                .filter(address -> address instanceof Inet4Address && !address.isLoopbackAddress())
                .findFirst();
        for (AwsService service : AwsService.values()) {
            int port = aws.port(service);
            assertThat(connects(InetAddress.getByName("127.0.0.1"), port)).as(service + " on 127.0.0.1").isTrue();
            if (external.isPresent()) {
                assertThat(connects(external.get(), port)).as(service + " on " + external.get()).isFalse();
            }
        }
    }

    @Test
    void queuesHaveTheContractAttributesAndRedrive() {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(get -> get.queueUrl(aws.queueUrl())
                .attributeNames(QueueAttributeName.ALL)).attributes();
        assertThat(attributes).containsEntry(QueueAttributeName.VISIBILITY_TIMEOUT, "60")
                .containsEntry(QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, "20");
        assertThat(attributes.get(QueueAttributeName.REDRIVE_POLICY))
                .contains("arn:aws:sqs:us-east-1:000000000000:imagery-process-dlq").contains("10");
    }

    @Test
    void creatingTheResourcesAgainIsHarmless() {
        QueueUrls again = AwsResources.ensure(aws.endpoints(), aws.resources());
        assertThat(again).isEqualTo(new QueueUrls(aws.queueUrl(), aws.deadLetterQueueUrl()));
    }

    @Test
    void theTableHasTheSparseIndexOfImagesWaitingForAWorker() {
        String id = UUID.randomUUID().toString();
        dynamoDb.putItem(put -> put.tableName("imagery-image").item(Map.of("id", s(id), "state", s("uploaded"),
                "waitingState", s("uploaded"), "updated", n(42))));
        dynamoDb.putItem(put -> put.tableName("imagery-image").item(Map.of("id", s(UUID.randomUUID().toString()),
                "state", s("created"), "updated", n(42))));

        List<Map<String, AttributeValue>> waiting = dynamoDb.query(query -> query.tableName("imagery-image")
                .indexName(AwsResources.WAITING_INDEX)
                .keyConditionExpression("waitingState = :uploaded AND updated < :before")
                .expressionAttributeValues(Map.of(":uploaded", s("uploaded"), ":before", n(43)))).items();

        assertThat(waiting).extracting(item -> item.get("id").s()).containsExactly(id);
    }

    @Test
    void aTableMadeBeforeTheWaitingIndexGetsItAdded() {
        String table = "imagery-image-" + UUID.randomUUID();
        dynamoDb.createTable(create -> create.tableName(table)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST));

        AwsResources.ensureTable(dynamoDb, table);
        AwsResources.ensureTable(dynamoDb, table);

        assertThat(dynamoDb.describeTable(describe -> describe.tableName(table)).table().globalSecondaryIndexes())
                .extracting(index -> index.indexName()).containsExactly(AwsResources.WAITING_INDEX);
    }

    @Test
    void roundTripsAnItemWithConditionalWrites() {
        String id = UUID.randomUUID().toString();
        Map<String, AttributeValue> item = Map.of("id", s(id), "version", n(0), "state", s("created"));
        dynamoDb.putItem(put -> put.tableName("imagery-image").item(item).conditionExpression("attribute_not_exists(id)"));
        assertThat(dynamoDb.getItem(get -> get.tableName("imagery-image").key(Map.of("id", s(id)))
                .consistentRead(true)).item()).isEqualTo(item);
        assertThatThrownBy(() -> dynamoDb.putItem(put -> put.tableName("imagery-image").item(item)
                .conditionExpression("attribute_not_exists(id)")
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                .isInstanceOfSatisfying(ConditionalCheckFailedException.class,
                        e -> assertThat(e.item()).isEqualTo(item));
    }

    @Test
    void dynamoDbLocalUnpacksItsSqliteLibraryIntoTheStacksFolder() throws IOException {
        dynamoDb.listTables();
        // There it goes with the stack (stopStack asserts the folder is gone), or with the next start after a kill.
        try (Stream<Path> files = Files.walk(aws.dataDirectory())) {
            assertThat(files.map(file -> file.getFileName().toString())).anyMatch(name -> name.contains("sqlite4java"));
        }
    }

    @Test
    void roundTripsAnObjectAndServesItPresigned() throws Exception {
        String key = "raw/" + UUID.randomUUID() + "/upload";
        byte[] body = "not really a picture".getBytes(StandardCharsets.UTF_8);
        s3.putObject(put -> put.bucket("imagery-images").key(key).contentType("image/jpeg"), RequestBody.fromBytes(body));
        assertThat(s3.getObjectAsBytes(get -> get.bucket("imagery-images").key(key)).asByteArray()).isEqualTo(body);

        try (S3Presigner presigner = aws.endpoints().s3Presigner()) {
            URI url = presigner.presignGetObject(presign -> presign.signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(get -> get.bucket("imagery-images").key(key))).url().toURI();
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo(body);
            assertThat(ok.headers().firstValue("Content-Type")).hasValue("image/jpeg");
            URI tampered = URI.create(url.toString().replaceAll("X-Amz-Signature=[0-9a-f]{4}", "X-Amz-Signature=0000"));
            assertThat(http.send(HttpRequest.newBuilder(tampered).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(403);
        }
    }

    @Test
    void roundTripsAMessage() {
        String body = "{\"imageId\":\"" + UUID.randomUUID() + "\",\"desiredState\":\"processed\"}";
        sqs.sendMessage(send -> send.queueUrl(aws.queueUrl()).messageBody(body));
        List<Message> received = sqs.receiveMessage(receive -> receive.queueUrl(aws.queueUrl())
                .maxNumberOfMessages(10)).messages();
        assertThat(received).extracting(Message::body).contains(body);
        received.forEach(m -> sqs.deleteMessage(delete -> delete.queueUrl(aws.queueUrl()).receiptHandle(m.receiptHandle())));
    }

    @Test
    void movesAMessageToTheDeadLetterQueueAfterMaxReceiveCount() {
        ResourceSpec quick = ResourceSpec.defaults().withQueues("redrive-test", "redrive-test-dlq")
                .withVisibilityTimeoutSeconds(1).withMaxReceiveCount(2).withReceiveWaitSeconds(0);
        QueueUrls urls = AwsResources.ensureQueues(sqs, quick);
        sqs.sendMessage(send -> send.queueUrl(urls.queue()).messageBody("poison"));

        int receives = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<Message> inDeadLetterQueue = List.of();
        while (inDeadLetterQueue.isEmpty() && System.nanoTime() < deadline) {
            receives += sqs.receiveMessage(receive -> receive.queueUrl(urls.queue()).waitTimeSeconds(1))
                    .messages().size();
            inDeadLetterQueue = sqs.receiveMessage(receive -> receive.queueUrl(urls.deadLetterQueue())).messages();
        }
        assertThat(inDeadLetterQueue).extracting(Message::body).containsExactly("poison");
        assertThat(receives).isEqualTo(2);
    }

    @Test
    void aStoppedServerComesBackOnTheSamePortWithItsData() {
        String key = "raw/" + UUID.randomUUID() + "/outage";
        s3.putObject(put -> put.bucket("imagery-images").key(key), RequestBody.fromString("survives"));
        String id = UUID.randomUUID().toString();
        dynamoDb.putItem(put -> put.tableName("imagery-image").item(Map.of("id", s(id))));
        String body = "message " + UUID.randomUUID();
        sqs.sendMessage(send -> send.queueUrl(aws.queueUrl()).messageBody(body));

        for (AwsService service : AwsService.values()) {
            long stopping = System.nanoTime();
            aws.stop(service);
            long stopped = System.nanoTime();
            assertThat(aws.isRunning(service)).isFalse();
            assertThat(connects(InetAddress.getLoopbackAddress(), aws.port(service))).isFalse();
            aws.start(service);
            System.out.printf("%s: stop %d ms, start %d ms%n", service, (stopped - stopping) / 1_000_000,
                    (System.nanoTime() - stopped) / 1_000_000);
        }
        assertThat(s3.getObjectAsBytes(get -> get.bucket("imagery-images").key(key)).asUtf8String()).isEqualTo("survives");
        assertThat(dynamoDb.getItem(get -> get.tableName("imagery-image").key(Map.of("id", s(id)))).item()).isNotEmpty();
        List<Message> received = sqs.receiveMessage(receive -> receive.queueUrl(aws.queueUrl()).maxNumberOfMessages(10))
                .messages();
        assertThat(received).extracting(Message::body).contains(body);
        received.forEach(m -> sqs.deleteMessage(delete -> delete.queueUrl(aws.queueUrl()).receiptHandle(m.receiptHandle())));
    }

    @Test
    void aRestartedQueueServerDeliversAMessageSentBeforeTheStopAsSoonAsStartReturns() {
        String body = "before the outage " + UUID.randomUUID();
        sqs.sendMessage(send -> send.queueUrl(aws.queueUrl()).messageBody(body));
        aws.stop(AwsService.SQS);
        aws.start(AwsService.SQS);
        // No waiting of our own: ElasticMQ answers QueueDoesNotExist until it has reloaded its queues from disk.
        List<Message> received = sqs.receiveMessage(receive -> receive.queueUrl(aws.queueUrl())
                .maxNumberOfMessages(10).waitTimeSeconds(1)).messages();
        assertThat(received).extracting(Message::body).contains(body);
        received.forEach(m -> sqs.deleteMessage(delete -> delete.queueUrl(aws.queueUrl()).receiptHandle(m.receiptHandle())));
    }

    @Test
    void aFrozenServerAcceptsConnectionsButAnswersOnlyAfterItIsThawed() {
        try (S3Client impatient = S3Client.builder().region(software.amazon.awssdk.regions.Region.of(EmbeddedAws.REGION))
                .credentialsProvider(() -> software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        EmbeddedAws.ACCESS_KEY_ID, EmbeddedAws.SECRET_ACCESS_KEY))
                .endpointOverride(aws.endpoints().s3()).forcePathStyle(true)
                .overrideConfiguration(timeouts -> timeouts.apiCallTimeout(Duration.ofSeconds(2))).build()) {
            aws.freeze(AwsService.S3);
            try {
                assertThat(aws.isFrozen(AwsService.S3)).isTrue();
                assertThat(connects(InetAddress.getLoopbackAddress(), aws.port(AwsService.S3))).isTrue();
                assertThatThrownBy(() -> impatient.headBucket(head -> head.bucket("imagery-images")))
                        .isInstanceOf(SdkClientException.class);
            } finally {
                aws.thaw(AwsService.S3);
            }
            assertThat(aws.isFrozen(AwsService.S3)).isFalse();
            assertThat(impatient.headBucket(head -> head.bucket("imagery-images")).sdkHttpResponse().isSuccessful())
                    .isTrue();
        }
    }

    @Test
    void stoppingAFrozenServerWakesItSoItExitsAtOnce() {
        aws.freeze(AwsService.DYNAMODB);
        long stopping = System.nanoTime();
        aws.stop(AwsService.DYNAMODB);
        long stopMillis = (System.nanoTime() - stopping) / 1_000_000;
        assertThat(aws.isRunning(AwsService.DYNAMODB)).isFalse();
        aws.start(AwsService.DYNAMODB);
        // Killed only after the 10 s grace if it had stayed frozen.
        assertThat(stopMillis).isLessThan(8_000);
        assertThat(aws.isFrozen(AwsService.DYNAMODB)).isFalse();
    }

    @Test
    void aStoppedServerRefusesRequests() {
        aws.stop(AwsService.S3);
        try {
            assertThatThrownBy(() -> s3.listObjectsV2(list -> list.bucket("imagery-images")))
                    .isInstanceOf(SdkClientException.class);
        } finally {
            aws.start(AwsService.S3);
        }
        assertThat(s3.listObjectsV2(list -> list.bucket("imagery-images")).sdkHttpResponse().isSuccessful()).isTrue();
    }

    @Test
    void writesTheEnvironmentFile(@TempDir Path dir) throws Exception {
        Path file = ImageryEnvironment.writeEnvFile(dir.resolve("imagery-local.env"), aws.environment());
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        assertThat(properties).containsExactlyInAnyOrderEntriesOf(aws.environment());
        assertThat(Files.readAllLines(file).stream().filter(line -> !line.startsWith("#")))
                .containsExactlyElementsOf(aws.environment().entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
