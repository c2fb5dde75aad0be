package dev.imagery.local;

/**
 * The AWS resources Imagery needs and the queue settings they are created with. The names match
 * the README and the CloudFormation stack; tests may create further sets (e.g. a queue with a one-second
 * visibility timeout) with the {@code with...} methods.
 */
public record ResourceSpec(String table, String bucket, String queue, String deadLetterQueue,
                           int visibilityTimeoutSeconds, int maxReceiveCount, int receiveWaitSeconds) {

    public static final String TABLE = "imagery-image";
    public static final String BUCKET = "imagery-images";
    public static final String QUEUE = "imagery-process";
    public static final String DEAD_LETTER_QUEUE = "imagery-process-dlq";

    public static ResourceSpec defaults() {
        return new ResourceSpec(TABLE, BUCKET, QUEUE, DEAD_LETTER_QUEUE, 60, 10, 20);
    }

    public ResourceSpec withTable(String table) {
        return new ResourceSpec(table, bucket, queue, deadLetterQueue, visibilityTimeoutSeconds, maxReceiveCount,
                receiveWaitSeconds);
    }

    public ResourceSpec withBucket(String bucket) {
        return new ResourceSpec(table, bucket, queue, deadLetterQueue, visibilityTimeoutSeconds, maxReceiveCount,
                receiveWaitSeconds);
    }

    public ResourceSpec withQueues(String queue, String deadLetterQueue) {
        return new ResourceSpec(table, bucket, queue, deadLetterQueue, visibilityTimeoutSeconds, maxReceiveCount,
                receiveWaitSeconds);
    }

    public ResourceSpec withVisibilityTimeoutSeconds(int seconds) {
        return new ResourceSpec(table, bucket, queue, deadLetterQueue, seconds, maxReceiveCount,
                receiveWaitSeconds);
    }

    public ResourceSpec withMaxReceiveCount(int count) {
        return new ResourceSpec(table, bucket, queue, deadLetterQueue, visibilityTimeoutSeconds, count,
                receiveWaitSeconds);
    }

    public ResourceSpec withReceiveWaitSeconds(int seconds) {
        return new ResourceSpec(table, bucket, queue, deadLetterQueue, visibilityTimeoutSeconds, maxReceiveCount,
                seconds);
    }
}
