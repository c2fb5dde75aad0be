package dev.imagery.worker.processing;

import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.converter.MessageConversionException;
import org.springframework.messaging.handler.invocation.MethodArgumentResolutionException;

import io.awspring.cloud.sqs.listener.errorhandler.AsyncErrorHandler;
import io.awspring.cloud.sqs.listener.errorhandler.ErrorHandlerVisibilityHelper;
import io.awspring.cloud.sqs.listener.errorhandler.ExponentialBackoffErrorHandler;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What happens to a message whose processing threw; it is never acknowledged here, so SQS counts the receive
 * and moves it to the dead-letter queue after maxReceiveCount of them.
 * <ul>
 * <li>Poison (malformed JSON, an unknown desiredState, an image that does not exist) can never succeed: it
 *     comes back after one second, so it reaches the dead-letter queue within seconds instead of backing off
 *     for minutes, and it is logged as one line, without a stack trace.</li>
 * <li>Anything else (S3, DynamoDB or SQS unreachable, a lost race repeated too often) may succeed later: it
 *     backs off exponentially, 2 s, 4 s, 8 s ... at most 2 min, which rides out an outage of several minutes
 *     before the dead-letter queue. AWS failures are logged as one line; other exceptions, which point at a
 *     bug, with their stack trace.</li>
 * </ul>
 * Spring Cloud AWS logs every failed message again with its stack trace; application.yml silences that
 * logger, as this class has said it once already.
 */
class FailedMessageHandler implements AsyncErrorHandler<Object> {

    private static final Logger log = LoggerFactory.getLogger(FailedMessageHandler.class);
    static final int POISON_VISIBILITY_SECONDS = 1;

    private final AsyncErrorHandler<Object> backoff = ExponentialBackoffErrorHandler.builder()
            .initialVisibilityTimeoutSeconds(2)
            .multiplier(2)
            .maxVisibilityTimeoutSeconds(120)
            .build();

    @Override
    public CompletableFuture<Void> handle(Message<Object> message, Throwable t) {
        long receives = ErrorHandlerVisibilityHelper.getReceiveMessageCount(message);
        String poison = poisonReason(t);
        if (poison != null) {
            log.warn("Poison message {} (receive {}), on its way to the dead-letter queue: {}; body: {}",
                    message.getHeaders().getId(), receives, poison, abbreviate(message.getPayload()));
            return ErrorHandlerVisibilityHelper.getVisibility(message).changeToAsync(POISON_VISIBILITY_SECONDS)
                    .thenCompose(ignored -> CompletableFuture.failedFuture(t)); // failed: not acknowledged
        }
        Throwable cause = rootCause(t);
        if (cause instanceof SdkException) {
            log.warn("Message {} failed (receive {}), will be retried after a back-off: {}",
                    message.getHeaders().getId(), receives, cause.toString());
        } else {
            log.error("Message {} failed (receive {}), will be retried after a back-off", message.getHeaders().getId(),
                    receives, t);
        }
        return backoff.handle(message, t);
    }

    /** Why the message can never succeed, or null if it might. */
    static String poisonReason(Throwable t) {
        for (Throwable cause = t; cause != null; cause = cause.getCause()) {
            if (cause instanceof PoisonMessageException) {
                return cause.getMessage();
            }
            if (cause instanceof MessageConversionException || cause instanceof MethodArgumentResolutionException) {
                return "not a message in the {\"imageId\": ..., \"desiredState\": \"processed\"} format";
            }
        }
        return null;
    }

    private static Throwable rootCause(Throwable t) {
        Throwable cause = t;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static String abbreviate(Object payload) {
        String text = String.valueOf(payload);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
