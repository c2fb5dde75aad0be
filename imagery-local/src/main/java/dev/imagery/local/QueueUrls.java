package dev.imagery.local;

/** The URLs of the work queue and its dead-letter queue, as the backend reports them. */
public record QueueUrls(String queue, String deadLetterQueue) {
}
