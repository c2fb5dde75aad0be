package dev.imagery.worker.image;

import java.io.InputStream;

/**
 * The result of one run: two PNG files, ready to store. The full-size PNG stays in the pieces the encoder
 * wrote (a 17.9 MP photo gives about 30 MB), so storing it streams them in place instead of joining a copy.
 */
public final class SepiaImage {

    private final PngEncoding.Chunks png;
    /** Null when the image is its own thumbnail: copied from {@link #png} only when asked for. */
    private final byte[] thumbnailPng;
    private final int width;
    private final int height;

    SepiaImage(PngEncoding.Chunks png, byte[] thumbnailPng, int width, int height) {
        this.png = png;
        this.thumbnailPng = thumbnailPng;
        this.width = width;
        this.height = height;
    }

    /** The full-size sepia image, upright (EXIF orientation applied): its length in bytes. */
    public long pngLength() {
        return png.size();
    }

    /** The full-size PNG as a stream over the encoder's pieces; every call starts at the beginning. */
    public InputStream openPng() {
        return png.open();
    }

    /** The full-size PNG as one array: a copy, for tests and tools. */
    public byte[] png() {
        return png.toByteArray();
    }

    /**
     * The same picture with its longer side at most {@link SepiaSettings#thumbnailMaxSide()}; for an image
     * already that small, the full-size PNG itself.
     */
    public byte[] thumbnailPng() {
        return thumbnailPng != null ? thumbnailPng : png.toByteArray();
    }

    /** Width of the full-size PNG, in pixels. */
    public int width() {
        return width;
    }

    /** Height of the full-size PNG, in pixels. */
    public int height() {
        return height;
    }

    @Override
    public String toString() {
        return "SepiaImage[" + width + "x" + height + ", png=" + png.size() + " B, thumbnailPng=" + thumbnailPng.length + " B]";
    }
}
