package dev.imagery.image;

import java.util.EnumSet;
import java.util.Set;

/**
 * The state machine's edges. Each names the states it may start from; the target state is always
 * one of them too, so a retried transition (a second upload, a redelivered message) is allowed and
 * harmless instead of an error.
 */
public enum Transition {
    /** A file was stored; allowed again until processing is done, so a retried upload succeeds. */
    UPLOAD(ImageState.UPLOADED, EnumSet.of(ImageState.CREATED, ImageState.UPLOADED)),
    /**
     * An upload that has waited too long for a worker is handed to the queue again (its message may
     * have been lost between the upload's write and its send). Bumping the version lets exactly one
     * of several sweepers win.
     */
    REQUEUE(ImageState.UPLOADED, EnumSet.of(ImageState.UPLOADED)),
    /** The worker published the sepia image; a redelivered message finds it already processed. */
    PROCESS(ImageState.PROCESSED, EnumSet.of(ImageState.UPLOADED, ImageState.PROCESSED)),
    /** The upload can never be processed (not an image, too large, corrupt). Terminal. */
    FAIL(ImageState.FAILED, EnumSet.of(ImageState.UPLOADED, ImageState.FAILED));

    private final ImageState target;
    private final Set<ImageState> sources;

    Transition(ImageState target, Set<ImageState> sources) {
        this.target = target;
        this.sources = sources;
    }

    /** The state an image is in after this transition. */
    public ImageState target() {
        return target;
    }

    /** The states this transition may start from. */
    public Set<ImageState> sources() {
        return sources;
    }

    /** Whether an image in {@code state} may take this transition. */
    public boolean allowedFrom(ImageState state) {
        return sources.contains(state);
    }
}
