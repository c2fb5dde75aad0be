package dev.imagery.api.image;

import java.net.URI;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.imagery.aws.ImageryResources;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Presigned GET links to objects in the private bucket: the browser loads images straight from S3,
 * so image bytes never pass through the API fleet. Signing is local computation, no request to AWS.
 */
@Component
class ImageLinks {

    private final S3Presigner presigner;
    private final String bucket;
    private final Duration validFor;

    ImageLinks(S3Presigner presigner, ImageryResources resources,
            @Value("${imagery.links.valid-for:PT1H}") Duration validFor) {
        this.presigner = presigner;
        this.bucket = resources.bucket();
        this.validFor = validFor;
    }

    /** A link that downloads {@code key}, or {@code null} when there is no such object yet. */
    URI download(String key) {
        if (key == null) {
            return null;
        }
        return URI.create(presigner.presignGetObject(request -> request
                .signatureDuration(validFor)
                .getObjectRequest(get -> get.bucket(bucket).key(key))).url().toString());
    }
}
