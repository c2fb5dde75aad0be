package dev.imagery.test.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

/**
 * Checks a processed image against the sepia matrix applied to its original:
 * <pre>
 *   R' = .393 R + .769 G + .189 B
 *   G' = .349 R + .686 G + .168 B      each clamped to 255
 *   B' = .272 R + .534 G + .131 B
 * </pre>
 * within ±1 by default (rounding versus truncation), or a tolerance of your choice where decoders differ.
 * Pixels are sampled on an even grid (every pixel of small images). Only pixels the original has fully
 * opaque are compared: what happens to transparent ones (kept, or flattened onto a background) is the
 * pipeline's choice. The caller passes the original already decoded <em>and oriented</em> as the pipeline
 * orients it (EXIF orientation rotates the picture).
 */
public final class SepiaAssertions {

    public static final int DEFAULT_TOLERANCE = 1;
    private static final int GRID = 64;
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private SepiaAssertions() {
    }

    /** The sepia of an sRGB pixel, as 0xRRGGBB. */
    public static int sepia(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        int red = clamp(0.393 * r + 0.769 * g + 0.189 * b);
        int green = clamp(0.349 * r + 0.686 * g + 0.168 * b);
        int blue = clamp(0.272 * r + 0.534 * g + 0.131 * b);
        return (red << 16) | (green << 8) | blue;
    }

    public static void assertSepiaOf(BufferedImage original, BufferedImage processed) {
        assertSepiaOf(original, processed, DEFAULT_TOLERANCE);
    }

    /** Fails (AssertionError) unless {@code processed} is the sepia of {@code original} within ±tolerance. */
    public static void assertSepiaOf(BufferedImage original, BufferedImage processed, int tolerance) {
        if (original.getWidth() != processed.getWidth() || original.getHeight() != processed.getHeight()) {
            throw new AssertionError("Size differs: original " + original.getWidth() + "x" + original.getHeight()
                    + ", processed " + processed.getWidth() + "x" + processed.getHeight()
                    + " (is the original oriented the way the pipeline orients it?)");
        }
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (int y : samples(original.getHeight())) {
            for (int x : samples(original.getWidth())) {
                int source = original.getRGB(x, y);
                if ((source >>> 24) != 0xff) {
                    continue;
                }
                compared++;
                int expected = sepia(source);
                int actual = processed.getRGB(x, y) & 0xffffff;
                if (distance(expected, actual) > tolerance) {
                    mismatches.add(String.format("(%d,%d): original #%06x, expected #%06x, got #%06x", x, y,
                            source & 0xffffff, expected, actual));
                }
            }
        }
        if (compared == 0) {
            throw new AssertionError("No opaque pixel to compare: the original is fully transparent");
        }
        if (!mismatches.isEmpty()) {
            throw new AssertionError(mismatches.size() + " of " + compared + " sampled pixels are not sepia within ±"
                    + tolerance + ", e.g.\n  " + String.join("\n  ", mismatches.subList(0, Math.min(8, mismatches.size()))));
        }
    }

    /** Decodes {@code png} (failing unless it is one) and checks it against {@code original}. */
    public static BufferedImage assertSepiaPngOf(BufferedImage original, byte[] png) {
        BufferedImage processed = decodePng(png);
        assertSepiaOf(original, processed);
        return processed;
    }

    /**
     * Without an original: every sampled opaque pixel has the sepia ordering red ≥ green ≥ blue (true of the
     * matrix for every input). Catches "not processed at all" on any colourful picture.
     */
    public static void assertSepiaTones(BufferedImage processed) {
        List<String> offenders = new ArrayList<>();
        for (int y : samples(processed.getHeight())) {
            for (int x : samples(processed.getWidth())) {
                int rgb = processed.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if ((rgb >>> 24) == 0xff && !(r >= g && g >= b)) {
                    offenders.add(String.format("(%d,%d) #%06x", x, y, rgb & 0xffffff));
                }
            }
        }
        if (!offenders.isEmpty()) {
            throw new AssertionError(offenders.size() + " sampled pixels are not sepia-toned (red ≥ green ≥ blue), e.g. "
                    + String.join(", ", offenders.subList(0, Math.min(8, offenders.size()))));
        }
    }

    /** The bytes must be a PNG (signature checked), decodable by ImageIO. */
    public static BufferedImage decodePng(byte[] png) {
        if (png.length < PNG_SIGNATURE.length || !Arrays.equals(Arrays.copyOf(png, PNG_SIGNATURE.length), PNG_SIGNATURE)) {
            throw new AssertionError("Not a PNG (" + png.length + " bytes, starting "
                    + HexFormat.of().formatHex(Arrays.copyOf(png, Math.min(8, png.length))) + ")");
        }
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            if (image == null) {
                throw new AssertionError("ImageIO could not decode the PNG");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not decode the PNG", e);
        }
    }

    /** Every coordinate up to GRID, else GRID evenly spread ones including both edges. */
    private static int[] samples(int length) {
        if (length <= GRID) {
            return IntStream.range(0, length).toArray();
        }
        return IntStream.range(0, GRID).map(i -> (int) ((long) i * (length - 1) / (GRID - 1)))
                .toArray();
    }

    private static int distance(int a, int b) {
        int red = Math.abs(((a >> 16) & 0xff) - ((b >> 16) & 0xff));
        int green = Math.abs(((a >> 8) & 0xff) - ((b >> 8) & 0xff));
        int blue = Math.abs((a & 0xff) - (b & 0xff));
        return Math.max(red, Math.max(green, blue));
    }

    private static int clamp(double value) {
        return (int) Math.min(255, Math.round(value));
    }
}
