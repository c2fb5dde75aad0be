package dev.imagery.api.image;

import java.net.URI;
import java.util.UUID;

import dev.imagery.image.Image;

/**
 * An image as the API shows it: the stored record plus links a browser can load directly
 * (presigned S3 GETs, valid for a limited time).
 */
public record ImageResponse(
        UUID id,
        long version,
        String state,
        Long created,
        Long updated,
        String rawS3Key,
        String processedS3Key,
        String thumbnailS3Key,
        String failureReason,
        URI rawImage,
        URI processedImage,
        URI thumbnailImage) {

    static ImageResponse of(Image image, ImageLinks links) {
        return new ImageResponse(
                image.getId(),
                image.getVersion(),
                image.getState().toString(),
                image.getCreated(),
                image.getUpdated(),
                image.getRawS3Key(),
                image.getProcessedS3Key(),
                image.getThumbnailS3Key(),
                image.getFailureReason(),
                links.download(image.getRawS3Key()),
                links.download(image.getProcessedS3Key()),
                links.download(image.getThumbnailS3Key()));
    }
}
