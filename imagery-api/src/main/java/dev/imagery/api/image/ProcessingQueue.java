package dev.imagery.api.image;

import org.springframework.stereotype.Component;

import dev.imagery.aws.ImageryResources;
import dev.imagery.queue.ProcessImageMessage;
import io.awspring.cloud.sqs.operations.SqsTemplate;

/** Hands work to the worker fleet through the SQS queue; used by uploads and by the sweeper. */
@Component
class ProcessingQueue {

    private final SqsTemplate sqs;
    private final String queue;

    ProcessingQueue(SqsTemplate sqs, ImageryResources resources) {
        this.sqs = sqs;
        this.queue = resources.queue();
    }

    void send(ProcessImageMessage message) {
        sqs.send(to -> to.queue(queue).payload(message));
    }
}
