package dev.imagery.local;

import java.net.URI;
import java.util.Objects;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Where an AWS-compatible backend answers (embedded servers, LocalStack) and with which static credentials,
 * plus SDK clients configured for it. Clients are new on every call: callers own and close them.
 */
public record AwsEndpoints(String region, String accessKeyId, String secretAccessKey, URI dynamoDb, URI sqs, URI s3) {

    public AwsEndpoints {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(dynamoDb, "dynamoDb");
        Objects.requireNonNull(sqs, "sqs");
        Objects.requireNonNull(s3, "s3");
    }

    /** One endpoint for all services, as LocalStack has. */
    public static AwsEndpoints single(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
        return new AwsEndpoints(region, accessKeyId, secretAccessKey, endpoint, endpoint, endpoint);
    }

    public URI endpoint(AwsService service) {
        return switch (service) {
            case DYNAMODB -> dynamoDb;
            case SQS -> sqs;
            case S3 -> s3;
        };
    }

    public DynamoDbClient dynamoDbClient() {
        return DynamoDbClient.builder().region(Region.of(region)).credentialsProvider(credentials())
                .endpointOverride(dynamoDb).build();
    }

    public SqsClient sqsClient() {
        return SqsClient.builder().region(Region.of(region)).credentialsProvider(credentials())
                .endpointOverride(sqs).build();
    }

    /** Path-style addressing: emulators have no per-bucket host names. */
    public S3Client s3Client() {
        return S3Client.builder().region(Region.of(region)).credentialsProvider(credentials())
                .endpointOverride(s3).forcePathStyle(true).build();
    }

    public S3Presigner s3Presigner() {
        return S3Presigner.builder().region(Region.of(region)).credentialsProvider(credentials())
                .endpointOverride(s3)
                .serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                        .pathStyleAccessEnabled(true).build())
                .build();
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }
}
