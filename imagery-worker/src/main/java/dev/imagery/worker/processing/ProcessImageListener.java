package dev.imagery.worker.processing;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.imagery.image.Image;
import dev.imagery.image.ImageConflictException;
import dev.imagery.image.ImageKeys;
import dev.imagery.image.ImageRepository;
import dev.imagery.image.ImageState;
import dev.imagery.image.Transition;
import dev.imagery.queue.ProcessImageMessage;
import dev.imagery.worker.image.SepiaImage;
import dev.imagery.worker.image.UnprocessableImageException;
import io.awspring.cloud.sqs.annotation.SqsListener;
import io.awspring.cloud.sqs.listener.Visibility;

/**
 * uploaded → processed. A message is acknowledged only when this method returns, that is after the
 * transition is written; if the worker dies first, SQS hands the message to another worker once
 * the visibility timeout ends, and that worker simply does the same idempotent steps again.
 * A thrown exception leaves the message on the queue; after 10 receives it moves to the
 * dead-letter queue, so a poison message can neither crash the worker nor loop forever.
 */
@Component
class ProcessImageListener {

    private static final Logger log = LoggerFactory.getLogger(ProcessImageListener.class);
    private static final int ATTEMPTS_AFTER_LOST_RACE = 3;

    private final ImageRepository images;
    private final ImageFiles files;
    private final VisibilityHeartbeat heartbeat;

    ProcessImageListener(ImageRepository images, ImageFiles files, VisibilityHeartbeat heartbeat) {
        this.images = images;
        this.files = files;
        this.heartbeat = heartbeat;
    }

    @SqsListener(value = "${IMAGERY_QUEUE:imagery-process}", factory = WorkerListenerConfiguration.FACTORY)
    void onMessage(String body, Visibility visibility) {
        UUID id = validImageId(MessageBodies.parse(body));
        try (VisibilityHeartbeat.Beat beat = heartbeat.keepInvisible(visibility)) {
            processWithRetries(id);
        }
    }

    private void processWithRetries(UUID id) {
        for (int attempt = 1; ; attempt++) {
            Image image = images.find(id).orElseThrow(() -> new PoisonMessageException("There is no image " + id));
            try {
                process(image);
                return;
            } catch (ImageConflictException e) {
                // Another writer moved the image on: read it again and decide afresh.
                if (attempt == ATTEMPTS_AFTER_LOST_RACE) {
                    throw e;
                }
                log.info("Lost a race on image {}, reading it again: {}", id, e.getMessage());
            }
        }
    }

    private void process(Image image) {
        switch (image.getState()) {
            case PROCESSED, FAILED -> {
                log.info("Image {} is already {}; nothing to do", image.getId(), image.getState());
                return;
            }
            // The API sends the message only after recording the upload: no worker can ever act on this one.
            case CREATED -> throw new PoisonMessageException("Image " + image.getId() + " has no upload");
            case UPLOADED -> { }
        }
        // With "Processed image" below, this tells an operator (and the crash tests) what a worker held when it died.
        log.info("Processing image {} (version {})", image.getId(), image.getVersion());

        long started = System.nanoTime();
        SepiaImage sepia;
        try {
            sepia = files.sepiaOf(image.getRawS3Key());
        } catch (UnprocessableImageException e) {
            images.transition(image, Transition.FAIL, failed -> failed.setFailureReason(e.getMessage()));
            log.info("Image {} failed for good: {}", image.getId(), e.getMessage());
            return;
        }
        // Keys derive from the upload, so a repeated run overwrites the same objects, never adds more.
        String processedKey = ImageKeys.processedKey(image.getRawS3Key());
        String thumbnailKey = ImageKeys.thumbnailKey(image.getRawS3Key());
        long decoded = System.nanoTime();
        files.store(sepia, processedKey, thumbnailKey);
        long stored = System.nanoTime();
        recordProcessed(image, processedKey, thumbnailKey);
        // Where an image's time went, for latency questions: S3 read + decode + sepia + PNG, S3 writes, DynamoDB.
        log.info("Processed image {} ({}x{}) in {} ms: read and sepia {} ms, store {} ms, record {} ms", image.getId(),
                sepia.width(), sepia.height(), millis(started, System.nanoTime()), millis(started, decoded),
                millis(decoded, stored), millis(stored, System.nanoTime()));
    }

    /**
     * uploaded → processed. If only the version moved meanwhile (a sweeper re-sent the message) the
     * files are still right: record them again on the new version instead of redoing the work.
     * Anything else (a newer upload, another worker finished first) goes back to the caller, which
     * reads the image again and decides afresh.
     */
    private void recordProcessed(Image image, String processedKey, String thumbnailKey) {
        Image expected = image;
        for (int attempt = 1; ; attempt++) {
            try {
                images.transition(expected, Transition.PROCESS, processed -> {
                    processed.setProcessedS3Key(processedKey);
                    processed.setThumbnailS3Key(thumbnailKey);
                });
                return;
            } catch (ImageConflictException e) {
                Image now = e.current();
                boolean sameUpload = now != null && now.getState() == ImageState.UPLOADED
                        && image.getRawS3Key().equals(now.getRawS3Key());
                if (!sameUpload || attempt == ATTEMPTS_AFTER_LOST_RACE) {
                    throw e;
                }
                expected = now;
            }
        }
    }

    private static UUID validImageId(ProcessImageMessage message) {
        if (!ProcessImageMessage.PROCESSED.equals(message.desiredState())) {
            throw new PoisonMessageException("Unknown desiredState '" + message.desiredState() + "'");
        }
        try {
            return UUID.fromString(String.valueOf(message.imageId()));
        } catch (IllegalArgumentException e) {
            throw new PoisonMessageException("Malformed imageId '" + message.imageId() + "'");
        }
    }

    private static long millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }
}
