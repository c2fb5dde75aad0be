package dev.imagery.test.aws;

import java.util.Optional;

import dev.imagery.local.AwsStack;
import dev.imagery.local.EmbeddedAws;

/**
 * The AWS backends of a test JVM: each started on first use and then shared by every test in the JVM, and
 * stopped by a JVM shutdown hook, never after a test class (Spring's cached application contexts outlive
 * test classes and still talk to AWS, e.g. to acknowledge SQS messages, until the JVM ends).
 *
 * <p>Tests share the table, bucket and queues: use fresh ids and keys, and do not assume an empty queue.
 *
 * <pre>{@code
 * AwsStack aws = TestAws.embedded();              // or TestAws.of(Backend.LOCALSTACK)
 * Map<String, String> env = aws.environment();    // AWS_REGION ... IMAGERY_DEAD_LETTER_QUEUE
 * TestAws.embedded().stop(AwsService.S3);         // outages: the embedded servers only
 * }</pre>
 */
public final class TestAws {

    private static EmbeddedAws embedded;
    private static LocalStackAws localStack;

    private TestAws() {
    }

    /** The embedded stack (persistent: a stopped and restarted server keeps its data). */
    public static synchronized EmbeddedAws embedded() {
        if (embedded == null) {
            embedded = EmbeddedAws.start(); // closes itself from its own shutdown hook
        }
        return embedded;
    }

    /**
     * LocalStack in Docker. Throws {@link org.opentest4j.TestAbortedException} (the test is reported skipped)
     * when Docker is unavailable; {@link UseAws @UseAws(LOCALSTACK)} classes are skipped before that.
     */
    public static synchronized AwsStack localStack() {
        if (localStack == null) {
            Optional<String> noDocker = Docker.unavailableReason();
            if (noDocker.isPresent()) {
                throw new org.opentest4j.TestAbortedException(LocalStackAws.SKIPPED + noDocker.get());
            }
            localStack = LocalStackAws.start();
        }
        return localStack;
    }

    public static AwsStack of(Backend backend) {
        return switch (backend) {
            case EMBEDDED -> embedded();
            case LOCALSTACK -> localStack();
        };
    }

    /**
     * For tests that prefer {@code @DynamicPropertySource} to {@link UseAws}:
     * {@code @DynamicPropertySource static void aws(DynamicPropertyRegistry r) { TestAws.register(r, Backend.EMBEDDED); }}
     */
    public static void register(org.springframework.test.context.DynamicPropertyRegistry registry, Backend backend) {
        of(backend).environment().forEach((key, value) -> registry.add(key, () -> value));
    }

    /** Why LocalStack cannot run here, if it cannot (no Docker engine, or -Dimagery.localstack=false). */
    public static Optional<String> localStackUnavailableReason() {
        return Docker.unavailableReason();
    }
}
