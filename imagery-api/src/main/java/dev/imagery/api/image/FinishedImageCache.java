package dev.imagery.api.image;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.imagery.image.Image;
import dev.imagery.image.ImageRepository;

/**
 * Reads images, answering finished ones from memory. A processed or failed image is never written again, so
 * each API server keeps those it has read recently: looking at a finished image again costs no DynamoDB read
 * (each is billed) and keeps working while DynamoDB does not answer. An image still in
 * flight is read from DynamoDB every time, strongly consistent, so a client polling it sees each step as soon
 * as it is written.
 */
@Component
class FinishedImageCache {

    /** Bounds the memory (an image is well under a kilobyte) and how long an image deleted by hand still shows. */
    private static final long MAX_IMAGES = 10_000;
    private static final Duration KEPT_FOR = Duration.ofMinutes(10);

    private final ImageRepository images;
    private final Cache<UUID, Image> finished = Caffeine.newBuilder()
            .maximumSize(MAX_IMAGES).expireAfterWrite(KEPT_FOR).build();

    FinishedImageCache(ImageRepository images) {
        this.images = images;
    }

    Optional<Image> find(UUID id) {
        Image known = finished.getIfPresent(id);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<Image> stored = images.find(id);
        stored.filter(image -> image.getState().isFinished()).ifPresent(image -> finished.put(id, image));
        return stored;
    }
}
