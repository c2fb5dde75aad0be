package dev.imagery.api.image;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.imagery.image.Image;
import dev.imagery.image.ImageConflictException;
import dev.imagery.image.ImageRepository;
import dev.imagery.image.Transition;
import dev.imagery.queue.ProcessImageMessage;
import io.awspring.cloud.sqs.operations.MessagingOperationFailedException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The half-done transition: an upload was recorded but its message never reached the queue (the
 * server died between the two, or SQS was down and the client never retried). Every few minutes
 * each API server looks for uploads that have waited longer than any healthy run would, and sends
 * their message again. The REQUEUE transition's conditional write comes first, so when several
 * servers sweep at once exactly one of them sends; a message that was not lost after all is only a
 * duplicate, which the worker acknowledges without work.
 */
@Component
class StuckUploadSweeper {

    private static final Logger log = LoggerFactory.getLogger(StuckUploadSweeper.class);
    private static final int BATCH = 100;

    private final ImageRepository images;
    private final ProcessingQueue queue;
    private final Clock clock;
    private final Duration stuckAfter;

    StuckUploadSweeper(ImageRepository images, ProcessingQueue queue, Clock clock,
            @Value("${imagery.sweeper.stuck-after:PT5M}") Duration stuckAfter) {
        this.images = images;
        this.queue = queue;
        this.clock = clock;
        this.stuckAfter = stuckAfter;
    }

    @Scheduled(initialDelayString = "${imagery.sweeper.every:PT1M}", fixedDelayString = "${imagery.sweeper.every:PT1M}")
    void sweep() {
        try {
            sweepOnce();
        } catch (SdkException | MessagingOperationFailedException e) {
            // DynamoDB or SQS is unreachable: the next sweep tries again; a stack trace every few seconds helps nobody.
            log.warn("Sweep for stuck uploads failed, will retry: {}", e.toString());
        }
    }

    private void sweepOnce() {
        for (Image stuck : images.uploadedBefore(clock.instant().minus(stuckAfter), BATCH)) {
            try {
                images.transition(stuck, Transition.REQUEUE, image -> { });
            } catch (ImageConflictException e) {
                continue; // another sweeper, or the worker, got there first
            }
            queue.send(ProcessImageMessage.process(stuck.getId()));
            log.warn("Image {} waited in uploaded since {}; sent its message again", stuck.getId(), stuck.getUpdated());
        }
    }
}
