package dev.imagery.worker.processing;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.awspring.cloud.sqs.config.SqsMessageListenerContainerFactory;
import io.awspring.cloud.sqs.listener.acknowledgement.handler.AcknowledgementMode;
import io.awspring.cloud.sqs.support.converter.SqsMessagingMessageConverter;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * How the worker takes work: long polls (5 s unless configured, see below), no more images in flight than the
 * machine has cores, because sepia is CPU-bound and every image in flight holds its pixels in memory, and a
 * back-off between attempts at a failing message.
 */
@Configuration(proxyBeanMethods = false)
class WorkerListenerConfiguration {

    static final String FACTORY = "imageListenerContainerFactory";

    /** Every body reaches the listener as text, whatever type header a sender added; see MessageBodies. */
    private static SqsMessagingMessageConverter bodiesAsText() {
        SqsMessagingMessageConverter converter = new SqsMessagingMessageConverter();
        converter.setPayloadTypeMapper(message -> String.class);
        return converter;
    }

    /** SQS waits whole seconds, 1 to 20 (WaitTimeSeconds); 0 would be a busy loop, more fails every receive. */
    static final int LONGEST_POLL_SECONDS = 20;

    @Bean(FACTORY)
    SqsMessageListenerContainerFactory<Object> imageListenerContainerFactory(SqsAsyncClient sqs,
            @Value("${imagery.worker.concurrency:0}") int configuredConcurrency,
            @Value("${imagery.worker.long-poll:PT5S}") Duration longPoll) {
        int concurrency = configuredConcurrency > 0 ? configuredConcurrency : Runtime.getRuntime().availableProcessors();
        long seconds = longPoll.toSeconds();
        if (longPoll.toMillis() % 1000 != 0 || seconds < 1 || seconds > LONGEST_POLL_SECONDS) {
            throw new IllegalArgumentException("imagery.worker.long-poll must be whole seconds from 1 to "
                    + LONGEST_POLL_SECONDS + " (what SQS can wait), not " + longPoll);
        }
        return SqsMessageListenerContainerFactory.builder()
                .sqsAsyncClient(sqs)
                .configure(options -> options
                        .maxConcurrentMessages(concurrency)
                        .maxMessagesPerPoll(concurrency)
                        // A long poll still returns the moment a message arrives. Its length is what an idle
                        // worker's stop waits for: the listener stops once its poll has returned (20 s polls
                        // held a stop for 17.9 s). Cutting a poll short instead leaves SQS a receive whose
                        // messages nobody gets, invisible for the visibility timeout (ElasticMQ does so, seen
                        // here). The default 5 s: twelve requests a minute when idle, $0.21 a month at $0.40 a
                        // million.
                        .pollTimeout(longPoll)
                        .acknowledgementMode(AcknowledgementMode.ON_SUCCESS)
                        .listenerShutdownTimeout(Duration.ofSeconds(25))
                        .messageConverter(bodiesAsText()))
                // A failed attempt waits 2 s, 4 s, 8 s ... (at most 2 min) before the next, so an
                // outage is ridden out without hammering; poison reaches the dead-letter queue in seconds.
                .errorHandler(new FailedMessageHandler())
                .build();
    }
}
