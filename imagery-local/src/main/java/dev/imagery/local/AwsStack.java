package dev.imagery.local;

import java.util.Map;

/**
 * A running AWS-compatible backend with Imagery's resources created: the embedded servers
 * ({@link EmbeddedAws}) or LocalStack (imagery-test-support).
 */
public interface AwsStack {

    /** Exactly the configuration keys of the README, in a stable order; see {@link ImageryEnvironment#of}. */
    Map<String, String> environment();

    AwsEndpoints endpoints();

    ResourceSpec resources();

    default String queueUrl() {
        return environment().get(ImageryEnvironment.IMAGERY_QUEUE);
    }

    default String deadLetterQueueUrl() {
        return environment().get(ImageryEnvironment.IMAGERY_DEAD_LETTER_QUEUE);
    }
}
