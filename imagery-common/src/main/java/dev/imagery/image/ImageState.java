package dev.imagery.image;

import java.util.Locale;

/**
 * Where an image is in its life: {@code created → uploaded → processed}, or {@code failed} when its
 * upload can never be turned sepia. Stored and shown in lower case, as the original Imagery did.
 */
public enum ImageState {
    CREATED, UPLOADED, PROCESSED, FAILED;

    /** The stored and JSON form, e.g. {@code "uploaded"}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
