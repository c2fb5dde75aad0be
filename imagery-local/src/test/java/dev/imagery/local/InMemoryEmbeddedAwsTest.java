package dev.imagery.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** persistent(false): a restart loses the data, but the resources are there again (same names, same URLs). */
class InMemoryEmbeddedAwsTest {

    @Test
    void aRestartedServerIsEmptyButHasItsResourcesAgain() {
        try (EmbeddedAws aws = EmbeddedAws.start(EmbeddedAws.Options.defaults().persistent(false));
             S3Client s3 = aws.endpoints().s3Client();
             SqsClient sqs = aws.endpoints().sqsClient();
             DynamoDbClient dynamoDb = aws.endpoints().dynamoDbClient()) {
            s3.putObject(put -> put.bucket("imagery-images").key("gone"), RequestBody.fromString("soon gone"));
            dynamoDb.putItem(put -> put.tableName("imagery-image").item(Map.of("id", AttributeValue.fromS("gone"))));

            for (AwsService service : AwsService.values()) {
                aws.restart(service);
            }

            assertThatThrownBy(() -> s3.getObject(get -> get.bucket("imagery-images").key("gone")))
                    .isInstanceOf(NoSuchKeyException.class);
            assertThat(dynamoDb.getItem(get -> get.tableName("imagery-image")
                    .key(Map.of("id", AttributeValue.fromS("gone")))).hasItem()).isFalse();
            sqs.sendMessage(send -> send.queueUrl(aws.queueUrl()).messageBody("the URL still works"));
            assertThat(sqs.getQueueAttributes(get -> get.queueUrl(aws.queueUrl()).attributeNamesWithStrings("All"))
                    .attributesAsStrings()).containsEntry("VisibilityTimeout", "60")
                    .containsKey("RedrivePolicy");
        }
    }
}
