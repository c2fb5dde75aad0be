package dev.imagery.worker.processing;

/**
 * A message no worker can ever act on (unknown image, unknown desired state, malformed id). Thrown
 * so the message is not acknowledged and ends in the dead-letter queue for a person to look at.
 */
class PoisonMessageException extends RuntimeException {

    PoisonMessageException(String message) {
        super(message);
    }
}
