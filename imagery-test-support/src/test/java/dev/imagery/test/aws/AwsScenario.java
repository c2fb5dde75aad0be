package dev.imagery.test.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.imagery.local.AwsStack;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** A scenario written once (plain JUnit) and run on every backend by the subclasses below. */
abstract class AwsScenario {

    @Test
    void theStackHasImagerysResources(AwsStack aws) {
        assertThat(aws.environment()).containsEntry("IMAGERY_TABLE", "imagery-image")
                .containsEntry("IMAGERY_BUCKET", "imagery-images").containsEntry("AWS_REGION", "us-east-1");
        try (S3Client s3 = aws.endpoints().s3Client(); SqsClient sqs = aws.endpoints().sqsClient()) {
            String key = "raw/" + UUID.randomUUID() + "/scenario";
            s3.putObject(put -> put.bucket("imagery-images").key(key), RequestBody.fromString("hello"));
            assertThat(s3.getObjectAsBytes(get -> get.bucket("imagery-images").key(key)).asUtf8String()).isEqualTo("hello");
            assertThat(sqs.getQueueUrl(get -> get.queueName("imagery-process")).queueUrl()).isEqualTo(aws.queueUrl());
        }
    }
}

@UseAws(Backend.EMBEDDED)
class AwsScenarioOnEmbeddedAwsTest extends AwsScenario {
}

@UseAws(Backend.LOCALSTACK)
class AwsScenarioOnLocalStackTest extends AwsScenario {
}
