package dev.imagery.infra;

import static dev.imagery.infra.Template.at;
import static dev.imagery.infra.Template.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * infra/localstack/init-aws.sh creates the contract's resources. Inside LocalStack it uses
 * awslocal; here, without Docker, it runs with the aws CLI against moto (AWS_ENDPOINT_URL), which
 * exercises the same commands.
 */
@ExtendWith(SharedMoto.class)
class LocalStackInitScriptTest {

    @Test
    void createsTheTableBucketQueueAndDeadLetterQueueOfTheContract() {
        AwsCli aws = new AwsCli(SharedMoto.server().endpoint());
        Cli.Result init = aws.script(LocalStackComposeTest.INIT_SCRIPT);
        assertThat(init.exitCode()).as(init.describe()).isZero();
        Matcher ready = Pattern.compile("Imagery resources ready: table imagery-image, bucket imagery-images,"
                + " queue ([^,\\s]+), dead-letter queue ([^,\\s]+)").matcher(init.stdout());
        assertThat(ready.find()).as(init.describe()).isTrue();
        String queueUrl = ready.group(1);
        String deadLetterUrl = ready.group(2);
        assertThat(queueUrl).endsWith("/imagery-process");
        assertThat(deadLetterUrl).endsWith("/imagery-process-dlq");

        Object table = aws.json("dynamodb", "describe-table", "--table-name", "imagery-image");
        assertThat(at(table, "Table", "KeySchema")).isEqualTo(List.of(Map.of("AttributeName", "id", "KeyType", "HASH")));
        assertThat(at(table, "Table", "BillingModeSummary", "BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat(at(table, "Table", "GlobalSecondaryIndexes", 0, "IndexName")).isEqualTo("waiting-by-updated");
        assertThat(at(table, "Table", "GlobalSecondaryIndexes", 0, "KeySchema")).isEqualTo(List.of(
                Map.of("AttributeName", "waitingState", "KeyType", "HASH"), Map.of("AttributeName", "updated", "KeyType", "RANGE")));

        Object publicAccess = aws.json("s3api", "get-public-access-block", "--bucket", "imagery-images");
        assertThat(map(at(publicAccess, "PublicAccessBlockConfiguration")).values()).hasSize(4).containsOnly(true);

        Map<String, Object> deadLetters = attributes(aws, deadLetterUrl);
        Map<String, Object> queue = attributes(aws, queueUrl);
        assertThat(deadLetters).containsEntry("MessageRetentionPeriod", "1209600");
        assertThat(queue).containsEntry("ReceiveMessageWaitTimeSeconds", "20").containsEntry("VisibilityTimeout", "60");
        Object redrive = AwsCli.parse((String) queue.get("RedrivePolicy"));
        assertThat(at(redrive, "deadLetterTargetArn")).isEqualTo(deadLetters.get("QueueArn"));
        assertThat(String.valueOf(at(redrive, "maxReceiveCount"))).isEqualTo("10");
    }

    private static Map<String, Object> attributes(AwsCli aws, String url) {
        return map(at(aws.json("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names", "All"), "Attributes"));
    }
}
