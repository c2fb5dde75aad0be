package dev.imagery.queue;

import java.util.UUID;

/**
 * The unit of work on the queue, in the original Imagery's format:
 * {@code {"imageId": "<uuid>", "desiredState": "processed"}}. Fields are kept as sent (strings) so
 * that a malformed message can be recognised and reported instead of failing in conversion.
 *
 * @param imageId      the image to move on
 * @param desiredState the state the sender wants the image in; only {@code processed} is known
 */
public record ProcessImageMessage(String imageId, String desiredState) {

    /** The only state a worker can bring an image to. */
    public static final String PROCESSED = "processed";

    /** The message that asks a worker to process the image. */
    public static ProcessImageMessage process(UUID imageId) {
        return new ProcessImageMessage(imageId.toString(), PROCESSED);
    }
}
