package dev.imagery.worker.image;

/**
 * The result of one run: two PNG files, ready to store. The arrays are handed over, not copied.
 *
 * @param png          the full-size sepia image, upright (EXIF orientation applied)
 * @param thumbnailPng the same picture with its longer side at most {@link SepiaSettings#thumbnailMaxSide()};
 *                     for an image already that small, the very same array as {@code png}
 * @param width        width of {@code png}, in pixels
 * @param height       height of {@code png}, in pixels
 */
public record SepiaImage(byte[] png, byte[] thumbnailPng, int width, int height) {

    @Override
    public String toString() {
        return "SepiaImage[" + width + "x" + height + ", png=" + png.length + " B, thumbnailPng="
                + thumbnailPng.length + " B]";
    }
}
