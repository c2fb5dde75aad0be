package dev.imagery.worker.image;

/**
 * The upload can never become a sepia image, however often it is retried. The message is a short
 * reason meant for the person who uploaded it ("not an image", "truncated or corrupt image", ...);
 * the cause, when there is one, is the decoder's own error, for the logs.
 */
public class UnprocessableImageException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnprocessableImageException(String reason) {
        super(reason);
    }

    public UnprocessableImageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
