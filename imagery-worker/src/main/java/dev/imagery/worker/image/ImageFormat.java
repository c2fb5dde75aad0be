package dev.imagery.worker.image;

import java.nio.charset.StandardCharsets;

/**
 * What an upload is, told by its first bytes (never by a file name or a client's content type).
 * Formats we decode carry their ImageIO format name; the others are only recognised so a person
 * is told "unsupported format: HEIC" rather than "not an image".
 */
enum ImageFormat {
    JPEG("JPEG", "jpeg"),
    PNG("PNG", "png"),
    GIF("GIF", "gif"),
    BMP("BMP", "bmp"),
    WEBP("WebP", "webp"),
    TIFF("TIFF", "tiff"),
    HEIF("HEIC/HEIF", null),
    AVIF("AVIF", null),
    JPEG_2000("JPEG 2000", null),
    JPEG_XL("JPEG XL", null),
    PSD("Photoshop PSD", null),
    ICO("ICO", null),
    SVG("SVG", null),
    PDF("PDF", null),
    UNKNOWN("unknown", null);

    /** Enough leading bytes for every signature below. */
    static final int SNIFF_LENGTH = 32;

    final String displayName;
    /** ImageIO format name, or null when we recognise but cannot decode the format. */
    final String imageIoName;

    ImageFormat(String displayName, String imageIoName) {
        this.displayName = displayName;
        this.imageIoName = imageIoName;
    }

    boolean decodable() {
        return imageIoName != null;
    }

    static ImageFormat sniff(byte[] head, int length) {
        if (startsWith(head, length, 0, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(head, length, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (startsWith(head, length, 0, 'G', 'I', 'F', '8')) {
            return GIF;
        }
        if (startsWith(head, length, 0, 'B', 'M') && length >= 18) {
            return BMP;
        }
        if (startsWith(head, length, 0, 'R', 'I', 'F', 'F') && startsWith(head, length, 8, 'W', 'E', 'B', 'P')) {
            return WEBP;
        }
        if (startsWith(head, length, 0, 'I', 'I', 42, 0) || startsWith(head, length, 0, 'M', 'M', 0, 42)
                || startsWith(head, length, 0, 'I', 'I', 43, 0) || startsWith(head, length, 0, 'M', 'M', 0, 43)) {
            return TIFF;
        }
        if (startsWith(head, length, 4, 'f', 't', 'y', 'p') && length >= 12) {
            String brand = new String(head, 8, 4, StandardCharsets.ISO_8859_1);
            if (brand.startsWith("avi")) {
                return AVIF;
            }
            if (brand.startsWith("hei") || brand.startsWith("hev") || brand.equals("mif1") || brand.equals("msf1")) {
                return HEIF;
            }
            if (brand.equals("jp2 ") || brand.equals("jpx ") || brand.equals("jpm ")) {
                return JPEG_2000;
            }
            return UNKNOWN;
        }
        if (startsWith(head, length, 0, 0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ')
                || startsWith(head, length, 0, 0xFF, 0x4F, 0xFF, 0x51)) {
            return JPEG_2000;
        }
        if (startsWith(head, length, 0, 0xFF, 0x0A) || startsWith(head, length, 0, 0x00, 0x00, 0x00, 0x0C, 'J', 'X', 'L', ' ')) {
            return JPEG_XL;
        }
        if (startsWith(head, length, 0, '8', 'B', 'P', 'S')) {
            return PSD;
        }
        if (startsWith(head, length, 0, 0x00, 0x00, 0x01, 0x00) && length >= 6 && (head[4] != 0 || head[5] != 0)) {
            return ICO;
        }
        if (startsWith(head, length, 0, '%', 'P', 'D', 'F')) {
            return PDF;
        }
        String text = new String(head, 0, length, StandardCharsets.ISO_8859_1).stripLeading();
        if (text.startsWith("<svg") || (text.startsWith("<?xml") && text.contains("<svg"))) {
            return SVG;
        }
        return UNKNOWN;
    }

    private static boolean startsWith(byte[] head, int length, int offset, int... signature) {
        if (length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((head[offset + i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
