package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import javax.imageio.stream.ImageInputStream;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.Pinned;

/**
 * WebP decoding with libwebp, Google's reference decoder, instead of TwelveMonkeys' decoder in Java: the sepia job
 * on a 4.1 MP WebP took 302 ms through ImageIO and takes 61 with libwebp, sharp's 200-242 (docs/PERFORMANCE.md).
 * It is the system's {@code libwebp} (Debian: {@code libwebp7}; Amazon Linux: {@code libwebp}), called through
 * jnr-ffi as {@link TurboJpeg} calls libjpeg-turbo; where it is missing, or with {@code -Dimagery.libwebp=false},
 * ImageIO decodes as before.
 *
 * <p>Only still images come here: a simple lossy ({@code VP8 }) or lossless ({@code VP8L}) file, or an extended
 * one ({@code VP8X}) that is not animated, untagged or tagged with an RGB ICC profile, which {@link RgbProfile}
 * converts to sRGB as for the other formats. Alpha as the file declares it. Anything else (another profile, an
 * animation), and any file libwebp declines, goes to ImageIO, which also says what is wrong with it.
 */
final class LibWebp {

    /** VP8X flags (WebP container specification). */
    private static final int ICC = 0x20;
    private static final int ALPHA = 0x10;
    private static final int ANIMATION = 0x02;
    /** The VP8L header's "alpha is used" bit, after its signature byte and the two 14-bit sizes. */
    private static final int LOSSLESS_ALPHA = 1 << 28;

    /** The part of libwebp's simple decoding API used here (decode.h). Arrays are pinned, as for TurboJPEG. */
    public interface Library {
        // size_t: 64 bits on Linux x86-64 and arm64, the only platforms Imagery runs on.
        int WebPGetInfo(@Pinned @In byte[] data, long dataSize, @Out int[] width, @Out int[] height);

        Pointer WebPDecodeBGRInto(@Pinned @In byte[] data, long dataSize, @Pinned @Out byte[] output, long outputSize,
                int outputStride);

        Pointer WebPDecodeRGBAInto(@Pinned @In byte[] data, long dataSize, @Pinned @Out byte[] output, long outputSize,
                int outputStride);
    }

    private static final Library LIBRARY = SystemLibrary.load(Library.class, "webp", "imagery.libwebp",
            "WebP decoding with libwebp", "WebPs are decoded by TwelveMonkeys in Java, about five times as slowly");

    private LibWebp() {
    }

    static boolean available() {
        return LIBRARY != null;
    }

    /** The still image in {@code in} as a standard image; null when it is not one for libwebp, or libwebp fails. */
    static BufferedImage decode(ImageInputStream in, ImageDecoder.Admission admission)
            throws IOException, UnprocessableImageException {
        byte[] webp = PlainJpeg.readAll(in);
        Boolean alpha = declaredAlpha(webp);
        int[] width = new int[1];
        int[] height = new int[1];
        if (alpha == null || LIBRARY.WebPGetInfo(webp, webp.length, width, height) == 0) {
            return null;
        }
        RgbProfile profile = null;
        if (firstChunk(webp).equals("VP8X") && (webp[20] & ICC) != 0) {
            byte[] icc = chunk(webp, "ICCP");
            profile = icc == null ? null : RgbProfile.parse(icc);
            if (profile == null) {
                return null; // not a profile the conversion knows
            }
            profile = profile.isSrgb() ? null : profile;
        }
        admission.admit(width[0], height[0]);
        BufferedImage image = admission.allocate(width[0], height[0], alpha);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int stride = width[0] * (alpha ? 4 : 3);
        long size = (long) stride * height[0];
        Pointer decoded = alpha ? LIBRARY.WebPDecodeRGBAInto(webp, webp.length, pixels, size, stride)
                : LIBRARY.WebPDecodeBGRInto(webp, webp.length, pixels, size, stride);
        if (decoded == null) {
            return null;
        }
        if (alpha) {
            StandardImage.abgrFromRgba(pixels, 0, (int) size); // libwebp has no ABGR output
        }
        if (profile != null) {
            profile.toSrgb(image);
        }
        return image;
    }

    /** The name of the file's first chunk (a RIFF header of 12 bytes before it). */
    private static String firstChunk(byte[] webp) {
        return new String(webp, 12, 4, StandardCharsets.US_ASCII);
    }

    /** The data of the file's first chunk called {@code name}, or null. */
    private static byte[] chunk(byte[] webp, String name) {
        for (int at = 12; at + 8 <= webp.length;) {
            long size = littleEndianInt(webp, at + 4) & 0xFFFFFFFFL;
            if (at + 8 + size > webp.length) {
                return null;
            }
            if (name.equals(new String(webp, at, 4, StandardCharsets.US_ASCII))) {
                return Arrays.copyOfRange(webp, at + 8, at + 8 + (int) size);
            }
            at += 8 + (int) size + (int) (size & 1); // chunks are padded to even sizes
        }
        return null;
    }

    /** Whether the still image has alpha, from its first chunk; null when it is not a file for libwebp here. */
    private static Boolean declaredAlpha(byte[] webp) {
        if (webp.length < 30) {
            return null;
        }
        int first = webp[20] & 0xFF;
        return switch (firstChunk(webp)) {
            case "VP8 " -> false;
            case "VP8L" -> first == 0x2F ? (littleEndianInt(webp, 21) & LOSSLESS_ALPHA) != 0 : null;
            case "VP8X" -> (first & ANIMATION) == 0 ? (first & ALPHA) != 0 : null;
            default -> null;
        };
    }

    private static int littleEndianInt(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16
                | (bytes[at + 3] & 0xFF) << 24;
    }
}
