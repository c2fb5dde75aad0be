package dev.imagery.image;

import java.util.UUID;

/**
 * Where an image's files live in the bucket. Every upload gets a fresh key, so a lost upload race
 * never overwrites the winner's file; the processed keys are derived from the raw key, so any
 * number of workers handling the same upload write the same objects instead of piling up copies.
 *
 * <pre>
 * raw/{imageId}/{uploadId}                    the file as uploaded
 * processed/{imageId}/{uploadId}.png          the sepia image
 * processed/{imageId}/{uploadId}-thumbnail.png
 * </pre>
 */
public final class ImageKeys {

    public static final String RAW_PREFIX = "raw/";
    public static final String PROCESSED_PREFIX = "processed/";

    private ImageKeys() {
    }

    /** A new, unique key for one upload of the image. */
    public static String newRawKey(UUID imageId) {
        return RAW_PREFIX + imageId + "/" + UUID.randomUUID();
    }

    /** The sepia image made from the upload stored at {@code rawKey}. */
    public static String processedKey(String rawKey) {
        return PROCESSED_PREFIX + uploadOf(rawKey) + ".png";
    }

    /** The thumbnail made from the upload stored at {@code rawKey}. */
    public static String thumbnailKey(String rawKey) {
        return PROCESSED_PREFIX + uploadOf(rawKey) + "-thumbnail.png";
    }

    private static String uploadOf(String rawKey) {
        if (rawKey == null || !rawKey.startsWith(RAW_PREFIX)) {
            throw new IllegalArgumentException("Not a raw upload key: " + rawKey);
        }
        return rawKey.substring(RAW_PREFIX.length());
    }
}
