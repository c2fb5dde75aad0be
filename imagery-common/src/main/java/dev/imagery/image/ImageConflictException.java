package dev.imagery.image;

/**
 * A conditional write lost: since the caller read the image, another writer changed its version or
 * moved it to a state the transition may not start from. Carries what is stored now, so the caller
 * can decide without another read.
 */
public class ImageConflictException extends RuntimeException {

    private final transient Image current;
    private final Transition transition;

    public ImageConflictException(Transition transition, Image expected, Image current) {
        super("Image " + expected.getId() + " changed concurrently: expected version " + expected.getVersion()
                + " in a state allowing " + transition + ", found " + describe(current));
        this.transition = transition;
        this.current = current;
    }

    /** The image as stored when the write was refused, or {@code null} when it no longer exists. */
    public Image current() {
        return current;
    }

    public Transition transition() {
        return transition;
    }

    private static String describe(Image current) {
        return current == null ? "no image" : "version " + current.getVersion() + " in state " + current.getState();
    }
}
