package dev.imagery.api.image;

import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.stereotype.Component;

import dev.imagery.aws.AwsTimeouts;
import dev.imagery.aws.ImageryResources;
import dev.imagery.queue.ProcessImageMessage;
import io.awspring.cloud.sqs.operations.SqsTemplate;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Hands work to the worker fleet through the SQS queue; used by uploads and by the sweeper. */
@Component
class ProcessingQueue {

    private final SqsTemplate sqs;
    private final String queue;

    ProcessingQueue(SqsTemplate sqs, ImageryResources resources) {
        this.sqs = sqs;
        this.queue = resources.queue();
    }

    /**
     * Sends within {@link AwsTimeouts#QUICK_CALL}: the SQS client's own bound is sized for the worker's 20 s long
     * poll, too long for a user waiting on an upload. A timeout is an {@link SdkClientException}, so the caller
     * gets a 503 and retries; the message may still arrive, which the worker's idempotent processing absorbs.
     */
    void send(ProcessImageMessage message) {
        try {
            sqs.sendAsync(to -> to.queue(queue).payload(message))
                    .orTimeout(AwsTimeouts.QUICK_CALL.toMillis(), TimeUnit.MILLISECONDS)
                    .join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw SdkClientException.create("SQS did not accept the message within "
                        + AwsTimeouts.QUICK_CALL.toSeconds() + " s", e.getCause());
            }
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
