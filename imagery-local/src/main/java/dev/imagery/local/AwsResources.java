package dev.imagery.local;

import java.time.Duration;
import java.util.Map;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyExistsException;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * Creates Imagery's table, bucket and queues on any AWS-compatible endpoint. Every step is idempotent: what
 * exists is kept (queue attributes are brought to the requested values), so it is safe to run against a
 * backend that already has them, e.g. after an emulator restart or against a long-lived LocalStack.
 */
public final class AwsResources {

    private AwsResources() {
    }

    /** Ensures all resources exist and returns the queue URLs. */
    public static QueueUrls ensure(AwsEndpoints endpoints, ResourceSpec resources) {
        ensure(endpoints, resources, AwsService.DYNAMODB);
        ensure(endpoints, resources, AwsService.S3);
        return ensure(endpoints, resources, AwsService.SQS);
    }

    /** Ensures the resources of one service exist; returns the queue URLs for SQS, else {@code null}. */
    public static QueueUrls ensure(AwsEndpoints endpoints, ResourceSpec resources, AwsService service) {
        switch (service) {
            case DYNAMODB -> {
                try (DynamoDbClient dynamoDb = endpoints.dynamoDbClient()) {
                    ensureTable(dynamoDb, resources.table());
                }
                return null;
            }
            case S3 -> {
                try (S3Client s3 = endpoints.s3Client()) {
                    ensureBucket(s3, resources.bucket());
                }
                return null;
            }
            case SQS -> {
                try (SqsClient sqs = endpoints.sqsClient()) {
                    return ensureQueues(sqs, resources);
                }
            }
            default -> throw new IllegalArgumentException(service.name());
        }
    }

    /**
     * Waits until Imagery's resource on one service answers: the table is ACTIVE, the bucket exists, both queues
     * resolve. An emulator may open its port a moment before it has restored its data (ElasticMQ answers
     * QueueDoesNotExist while it reloads its queues from disk), which real AWS never does.
     *
     * @throws IllegalStateException with the last error if the resource does not answer within {@code timeout}
     */
    public static void awaitAvailable(AwsEndpoints endpoints, ResourceSpec resources, AwsService service,
                                      Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SdkException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (isAvailable(endpoints, resources, service)) {
                    return;
                }
            } catch (SdkException notYet) {
                last = notYet;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        throw new IllegalStateException("Imagery's " + service + " resources did not answer within "
                + timeout.toSeconds() + " s" + (last == null ? "" : ": " + last.getMessage()), last);
    }

    private static boolean isAvailable(AwsEndpoints endpoints, ResourceSpec resources, AwsService service) {
        switch (service) {
            case DYNAMODB -> {
                try (DynamoDbClient dynamoDb = endpoints.dynamoDbClient()) {
                    return dynamoDb.describeTable(describe -> describe.tableName(resources.table())).table()
                            .tableStatus() == TableStatus.ACTIVE;
                }
            }
            case S3 -> {
                try (S3Client s3 = endpoints.s3Client()) {
                    s3.headBucket(head -> head.bucket(resources.bucket()));
                    return true;
                }
            }
            case SQS -> {
                try (SqsClient sqs = endpoints.sqsClient()) {
                    sqs.getQueueUrl(get -> get.queueName(resources.deadLetterQueue()));
                    sqs.getQueueUrl(get -> get.queueName(resources.queue()));
                    return true;
                }
            }
            default -> throw new IllegalArgumentException(service.name());
        }
    }

    /**
     * The sparse index of images waiting for a worker, as infra/cloudformation/imagery.yaml declares it and
     * {@code ImageRepository.WAITING_INDEX} reads it (this module does not depend on imagery-common).
     */
    static final String WAITING_INDEX = "waiting-by-updated";

    /**
     * Table with partition key {@code id} (S) and the waiting index, on-demand capacity, waited for until ACTIVE.
     * A table kept from before the index existed (a persistent launcher's data) gets it added.
     */
    public static void ensureTable(DynamoDbClient dynamoDb, String table) {
        AttributeDefinition waitingState = attribute("waitingState", ScalarAttributeType.S);
        AttributeDefinition updated = attribute("updated", ScalarAttributeType.N);
        GlobalSecondaryIndex waiting = GlobalSecondaryIndex.builder().indexName(WAITING_INDEX)
                .keySchema(key("waitingState", KeyType.HASH), key("updated", KeyType.RANGE))
                .projection(projection -> projection.projectionType(ProjectionType.ALL))
                .build();
        TableDescription description;
        try {
            description = dynamoDb.createTable(create -> create.tableName(table)
                    .attributeDefinitions(attribute("id", ScalarAttributeType.S), waitingState, updated)
                    .keySchema(key("id", KeyType.HASH))
                    .globalSecondaryIndexes(waiting)
                    .billingMode(BillingMode.PAY_PER_REQUEST)).tableDescription();
        } catch (ResourceInUseException alreadyThere) {
            description = dynamoDb.describeTable(describe -> describe.tableName(table)).table();
            if (description.globalSecondaryIndexes().stream().noneMatch(index -> index.indexName().equals(WAITING_INDEX))) {
                dynamoDb.updateTable(update -> update.tableName(table).attributeDefinitions(waitingState, updated)
                        .globalSecondaryIndexUpdates(change -> change.create(create -> create.indexName(WAITING_INDEX)
                                .keySchema(waiting.keySchema()).projection(waiting.projection()))));
            }
        }
        // Emulators create tables ACTIVE at once; real DynamoDB takes a few seconds.
        if (description.tableStatus() != TableStatus.ACTIVE) {
            dynamoDb.waiter().waitUntilTableExists(wait -> wait.tableName(table));
        }
    }

    private static AttributeDefinition attribute(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    public static void ensureBucket(S3Client s3, String bucket) {
        try {
            s3.createBucket(create -> create.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException | BucketAlreadyExistsException alreadyThere) {
            // Ours already; nothing to do.
        }
    }

    /** The dead-letter queue first (its ARN goes into the work queue's redrive policy), then the work queue. */
    public static QueueUrls ensureQueues(SqsClient sqs, ResourceSpec resources) {
        String deadLetterUrl = ensureQueue(sqs, resources.deadLetterQueue(), Map.of());
        String deadLetterArn = sqs.getQueueAttributes(get -> get.queueUrl(deadLetterUrl)
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        String redrivePolicy = "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":\""
                + resources.maxReceiveCount() + "\"}";
        String queueUrl = ensureQueue(sqs, resources.queue(), Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(resources.visibilityTimeoutSeconds()),
                QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS, Integer.toString(resources.receiveWaitSeconds()),
                QueueAttributeName.REDRIVE_POLICY, redrivePolicy));
        return new QueueUrls(queueUrl, deadLetterUrl);
    }

    /**
     * Creates the queue with the attributes, or, when it exists, sets them: SQS rejects CreateQueue for an
     * existing queue whose attributes differ, so "create, else converge" is the idempotent form.
     */
    private static String ensureQueue(SqsClient sqs, String name, Map<QueueAttributeName, String> attributes) {
        String url;
        try {
            url = sqs.getQueueUrl(get -> get.queueName(name)).queueUrl();
        } catch (QueueDoesNotExistException missing) {
            return sqs.createQueue(create -> create.queueName(name).attributes(attributes)).queueUrl();
        }
        if (!attributes.isEmpty()) {
            sqs.setQueueAttributes(set -> set.queueUrl(url).attributes(attributes));
        }
        return url;
    }
}
