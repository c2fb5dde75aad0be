package dev.imagery.aws;

import org.springframework.core.env.Environment;

/**
 * The names of Imagery's AWS resources, read from the same keys everywhere: environment variables in
 * production, {@code imagery-local.env} on a laptop, dynamic properties in tests.
 *
 * @param table           DynamoDB table of images ({@code IMAGERY_TABLE})
 * @param bucket          S3 bucket for uploads and results ({@code IMAGERY_BUCKET})
 * @param queue           SQS work queue, name or URL ({@code IMAGERY_QUEUE})
 * @param deadLetterQueue where messages end after too many failed receives ({@code IMAGERY_DEAD_LETTER_QUEUE})
 */
public record ImageryResources(String table, String bucket, String queue, String deadLetterQueue) {

    /** Reads the resource names, falling back to the names the local stack and the docs use. */
    public static ImageryResources from(Environment environment) {
        return new ImageryResources(
                environment.getProperty("IMAGERY_TABLE", "imagery-image"),
                environment.getProperty("IMAGERY_BUCKET", "imagery-images"),
                environment.getProperty("IMAGERY_QUEUE", "imagery-process"),
                environment.getProperty("IMAGERY_DEAD_LETTER_QUEUE", "imagery-process-dlq"));
    }
}
