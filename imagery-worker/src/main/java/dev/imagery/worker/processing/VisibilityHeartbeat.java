package dev.imagery.worker.processing;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.awspring.cloud.sqs.listener.Visibility;
import jakarta.annotation.PreDestroy;

/**
 * Keeps a message invisible while its image is being processed, however long that takes, so no
 * second worker starts the same image; if this worker dies, the heartbeat dies with it and the
 * message is visible again one {@code extension} later. (Spring Cloud AWS extends visibility only
 * for FIFO queues.)
 */
@Component
class VisibilityHeartbeat {

    private static final Logger log = LoggerFactory.getLogger(VisibilityHeartbeat.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "visibility-heartbeat");
        thread.setDaemon(true);
        return thread;
    });
    private final Duration every;
    private final int extensionSeconds;

    VisibilityHeartbeat(@Value("${imagery.worker.heartbeat.every:PT20S}") Duration every,
            @Value("${imagery.worker.heartbeat.extension:PT60S}") Duration extension) {
        this.every = every;
        this.extensionSeconds = (int) extension.toSeconds();
    }

    /** Starts extending {@code visibility}; closing the result stops it. */
    Beat keepInvisible(Visibility visibility) {
        ScheduledFuture<?> beat = scheduler.scheduleAtFixedRate(() -> visibility.changeToAsync(extensionSeconds)
                .exceptionally(e -> {
                    log.warn("Could not extend a message's visibility: {}", e.toString());
                    return null;
                }), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return () -> beat.cancel(false);
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }

    /** A running heartbeat. */
    interface Beat extends AutoCloseable {
        @Override
        void close();
    }
}
