package dev.imagery.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

import dev.imagery.local.emulator.LocalPorts;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;

/** {@code restartCrashed(true)}: a server killed from outside comes back by itself; one stopped on purpose does not. */
class CrashedServerRestartTest {

    private static final Duration COMES_BACK_WITHIN = Duration.ofSeconds(60);

    private static EmbeddedAws selfHealing() {
        return EmbeddedAws.start(EmbeddedAws.Options.defaults().restartCrashed(true));
    }

    @Test
    void aKilledServerComesBackOnTheSamePortWithItsData() {
        try (EmbeddedAws aws = selfHealing();
             S3Client s3 = aws.endpoints().s3Client();
             DynamoDbClient dynamoDb = aws.endpoints().dynamoDbClient()) {
            String key = "raw/" + UUID.randomUUID() + "/crash";
            s3.putObject(put -> put.bucket("imagery-images").key(key), RequestBody.fromString("survives a kill -9"));
            String id = UUID.randomUUID().toString();
            dynamoDb.putItem(put -> put.tableName("imagery-image").item(Map.of("id", AttributeValue.fromS(id))));
            int s3Port = aws.port(AwsService.S3);
            long s3Pid = aws.pid(AwsService.S3);
            long dynamoDbPid = aws.pid(AwsService.DYNAMODB);

            long killed = System.nanoTime();
            ProcessHandle.of(s3Pid).orElseThrow().destroyForcibly();
            ProcessHandle.of(dynamoDbPid).orElseThrow().destroyForcibly();

            assertThat(await(() -> isBack(aws, AwsService.S3, s3Pid) && isBack(aws, AwsService.DYNAMODB, dynamoDbPid)))
                    .as("both servers restarted").isTrue();
            assertThat(await(() -> answers(() -> s3.headBucket(head -> head.bucket("imagery-images"))))).isTrue();
            assertThat(await(() -> answers(() -> dynamoDb.describeTable(d -> d.tableName("imagery-image"))))).isTrue();
            System.out.printf("killed S3 and DynamoDB; both answer again after %d ms%n",
                    (System.nanoTime() - killed) / 1_000_000);
            assertThat(aws.port(AwsService.S3)).isEqualTo(s3Port);
            assertThat(s3.getObjectAsBytes(get -> get.bucket("imagery-images").key(key)).asUtf8String())
                    .isEqualTo("survives a kill -9");
            assertThat(dynamoDb.getItem(get -> get.tableName("imagery-image")
                    .key(Map.of("id", AttributeValue.fromS(id)))).item()).isNotEmpty();
        }
    }

    @Test
    void aServerStoppedOnPurposeStaysStoppedAndNothingRestartsAfterClose() throws Exception {
        EmbeddedAws aws = selfHealing();
        int sqsPort = aws.port(AwsService.SQS);
        try {
            aws.stop(AwsService.S3);
            Thread.sleep(EmbeddedAws.RESTART_PAUSE.plusSeconds(3).toMillis());
            assertThat(aws.isRunning(AwsService.S3)).as("S3 restarted after an intentional stop").isFalse();
            aws.start(AwsService.S3);
            assertThat(aws.isRunning(AwsService.S3)).isTrue();

            // A crash just before close(): the pending restart must not bring the server back.
            ProcessHandle sqsServer = ProcessHandle.of(aws.pid(AwsService.SQS)).orElseThrow();
            sqsServer.destroyForcibly();
            sqsServer.onExit().join();
        } finally {
            aws.close();
        }
        Thread.sleep(EmbeddedAws.RESTART_PAUSE.plusSeconds(3).toMillis());
        assertThat(LocalPorts.listens(sqsPort)).as("SQS restarted after close()").isFalse();
        assertThat(aws.isRunning(AwsService.SQS)).isFalse();
    }

    private static boolean isBack(EmbeddedAws aws, AwsService service, long oldPid) {
        return aws.isRunning(service) && aws.pid(service) != oldPid;
    }

    private static boolean answers(Runnable call) {
        try {
            call.run();
            return true;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    private static boolean await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + COMES_BACK_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
