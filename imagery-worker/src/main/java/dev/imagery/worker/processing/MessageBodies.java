package dev.imagery.worker.processing;

import dev.imagery.queue.ProcessImageMessage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a message body as the listener's first step rather than in Spring Cloud AWS's message source: there, a
 * body that is not JSON fails before any listener or error handler sees it, is logged with a stack trace and
 * comes back only after the queue's visibility timeout, ten times. Here it is a {@link PoisonMessageException}
 * like any other message no worker can act on, and reaches the dead-letter queue within seconds.
 */
final class MessageBodies {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MessageBodies() {
    }

    static ProcessImageMessage parse(String body) {
        try {
            ProcessImageMessage message = JSON.readValue(body, ProcessImageMessage.class);
            if (message == null) {
                throw new PoisonMessageException("The message body is JSON null");
            }
            return message;
        } catch (JacksonException e) {
            throw new PoisonMessageException("Not a {\"imageId\": ..., \"desiredState\": \"processed\"} message: "
                    + e.getOriginalMessage());
        }
    }
}
