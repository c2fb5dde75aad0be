package dev.imagery.aws;

import java.time.Duration;
import java.util.function.Consumer;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;

/**
 * Bounds on S3 and SQS calls that a hung server would otherwise block forever: a frozen peer still accepts TCP
 * connections (the kernel's backlog does), and a blocking socket write has no timeout, so only the SDK's own
 * call timeouts end such a call. The answer is then an {@code SdkClientException}: a 503 from the API, a retried
 * attempt in the worker. DynamoDB's requests are too small to block on their write; its client's socket timeout
 * bounds them ({@link AwsClientsConfiguration}).
 */
public final class AwsTimeouts {

    /** An SQS send or an S3 delete takes milliseconds when all is well. */
    public static final Duration QUICK_CALL = Duration.ofSeconds(10);

    /** Per attempt of a GetObject until its response headers; the body is bounded by the 30 s socket read timeout. */
    private static final Duration S3_HEADERS = Duration.ofSeconds(10);

    private static final Duration UPLOAD_BASE = Duration.ofSeconds(8);
    private static final long UPLOAD_BYTES_PER_SECOND = 4L * 1024 * 1024;

    private AwsTimeouts() {
    }

    /**
     * For a PutObject of {@code bytes}: each attempt may take 8 s plus the body at a conservative 4 MiB/s (50 MB:
     * 20 s), and the call two attempts. A fixed bound would either cut off a large upload over a slow link or
     * leave a small one hanging for a minute; this way a frozen S3 answers within ~16 s for a photo and ~40 s
     * for the largest upload, under the load balancer's 60 s idle timeout.
     */
    public static Consumer<AwsRequestOverrideConfiguration.Builder> upload(long bytes) {
        Duration attempt = UPLOAD_BASE.plusMillis(bytes * 1000 / UPLOAD_BYTES_PER_SECOND);
        return override -> override.apiCallAttemptTimeout(attempt).apiCallTimeout(attempt.multipliedBy(2));
    }

    /**
     * For a GetObject whose body is streamed: 10 s per attempt and two attempts until the headers are in. The
     * bound ends when the stream is handed over, so a slow reader of a large body is not cut off.
     */
    public static Consumer<AwsRequestOverrideConfiguration.Builder> download() {
        return override -> override.apiCallAttemptTimeout(S3_HEADERS).apiCallTimeout(S3_HEADERS.multipliedBy(2));
    }
}
