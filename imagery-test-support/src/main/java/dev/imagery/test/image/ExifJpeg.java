package dev.imagery.test.image;

import java.io.ByteArrayOutputStream;

/**
 * JPEGs as cameras store them: the pixels as the sensor read them, and an EXIF orientation (1-8) saying how to turn
 * them upright. A phone's portrait photo is stored landscape with orientation 6, a quarter turn clockwise.
 */
public final class ExifJpeg {

    private ExifJpeg() {
    }

    /** The JPEG with an Exif segment (APP1) right after its start, holding only {@code orientation}. */
    public static byte[] withOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = orientationTiff(orientation, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        int length = 2 + 6 + tiff.length;
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
        out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /**
     * The TIFF structure inside an Exif segment, with one tag: orientation. In either byte order, as cameras write
     * both.
     */
    public static byte[] orientationTiff(int orientation, boolean littleEndian) {
        // Header (8 bytes), IFD0 with one entry: tag 0x0112, type SHORT, count 1, value.
        byte[] b = new byte[8 + 2 + 12 + 4];
        if (littleEndian) {
            b[0] = 'I'; b[1] = 'I'; b[2] = 42; b[4] = 8;
            b[8] = 1;
            b[10] = 0x12; b[11] = 0x01; b[12] = 3; b[14] = 1; b[18] = (byte) orientation;
        } else {
            b[0] = 'M'; b[1] = 'M'; b[3] = 42; b[7] = 8;
            b[9] = 1;
            b[10] = 0x01; b[11] = 0x12; b[13] = 3; b[17] = 1; b[19] = (byte) orientation;
        }
        return b;
    }
}
