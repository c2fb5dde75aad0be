package dev.imagery.api.image;

import java.net.URI;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.imagery.aws.ImageryResources;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned GET links to objects in the private bucket: the browser loads images straight from S3,
 * so image bytes never pass through the API fleet. Signing is local computation, no request to AWS.
 *
 * <p>A link is reused for a sixth of its lifetime, so every link handed out is still valid for at least
 * five sixths of it. The page polls an image until it is processed: with the same URL each time, the
 * browser's cache serves the picture instead of downloading it again, and the API skips the signing.
 */
@Component
class ImageLinks {

    private static final int REUSE_FRACTION = 6;
    private static final long MAX_CACHED_LINKS = 10_000;

    private final S3Presigner presigner;
    private final String bucket;
    private final Duration validFor;
    private final Cache<String, URI> recent;

    ImageLinks(S3Presigner presigner, ImageryResources resources,
            @Value("${imagery.links.valid-for:PT1H}") Duration validFor) {
        this.presigner = presigner;
        this.bucket = resources.bucket();
        this.validFor = validFor;
        this.recent = Caffeine.newBuilder().expireAfterWrite(validFor.dividedBy(REUSE_FRACTION))
                .maximumSize(MAX_CACHED_LINKS).build();
    }

    /** A link that downloads {@code key}, or {@code null} when there is no such object yet. */
    URI download(String key) {
        return key == null ? null : recent.get(key, this::presign);
    }

    private URI presign(String key) {
        return URI.create(presigner.presignGetObject(request -> request
                .signatureDuration(validFor)
                .getObjectRequest(get -> get.bucket(bucket).key(key))).url().toString());
    }
}
