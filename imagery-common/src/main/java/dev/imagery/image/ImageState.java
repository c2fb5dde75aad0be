package dev.imagery.image;

import java.util.Locale;

/**
 * Where an image is in its life: {@code created → uploaded → processed}, or {@code failed} when its
 * upload can never be turned sepia. Stored and shown in lower case, as the original Imagery did.
 */
public enum ImageState {
    CREATED, UPLOADED, PROCESSED, FAILED;

    /** Whether the image's process is over: no transition leaves processed or failed, so it is stored for good. */
    public boolean isFinished() {
        return this == PROCESSED || this == FAILED;
    }

    /** The stored and JSON form, e.g. {@code "uploaded"}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
