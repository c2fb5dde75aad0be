package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStream;

/**
 * EXIF orientation (1-8): cameras store the sensor's pixels and only note how to turn them. We
 * turn them, so the sepia PNG (which carries no EXIF) shows upright everywhere. JPEGs carry it in their Exif
 * segment, TIFFs as a tag of their own.
 */
final class ExifOrientation {

    static final int NORMAL = 1;

    private static final int APP1 = 0xE1;
    private static final int SOS = 0xDA;
    private static final int EOI = 0xD9;
    private static final int TAG_ORIENTATION = 0x0112;
    /** Segments before the image data; real files have a handful, a hostile one could have many. */
    private static final int MAX_SEGMENTS = 256;

    private ExifOrientation() {
    }

    /**
     * The orientation in a JPEG's Exif segment, read from the stream's current position. A missing or
     * unreadable Exif segment means "normal": bad metadata must not fail an otherwise good picture.
     */
    static int readJpeg(ImageInputStream in) throws IOException {
        try {
            if (in.read() != 0xFF || in.read() != 0xD8) {
                return NORMAL;
            }
            for (int segments = 0; segments < MAX_SEGMENTS; segments++) {
                int b = in.read();
                if (b != 0xFF) {
                    return NORMAL;
                }
                int marker;
                do {
                    marker = in.read();
                } while (marker == 0xFF);
                if (marker < 0 || marker == SOS || marker == EOI) {
                    return NORMAL;
                }
                if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                    continue; // markers without a length
                }
                int length = in.readUnsignedShort() - 2;
                if (length < 0) {
                    return NORMAL;
                }
                if (marker == APP1 && length >= 14) {
                    byte[] segment = new byte[length];
                    in.readFully(segment);
                    if (isExif(segment)) {
                        return fromTiff(segment, 6);
                    }
                } else {
                    in.skipBytes(length);
                }
            }
            return NORMAL;
        } catch (EOFException | IIOException e) {
            return NORMAL;
        }
    }

    /**
     * The orientation tag of a TIFF's first directory, read from the stream's start; as for JPEGs, "normal" when
     * the tag is missing or the directory unreadable. TIFFs carry the same tag as Exif, and scanners and cameras
     * set it.
     */
    static int readTiff(ImageInputStream in) throws IOException {
        try {
            byte[] header = new byte[8];
            in.readFully(header);
            ByteOrder order = header[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            in.seek(ByteBuffer.wrap(header).order(order).getInt(4) & 0xFFFFFFFFL);
            byte[] count = new byte[2];
            in.readFully(count);
            int entries = ByteBuffer.wrap(count).order(order).getShort() & 0xFFFF;
            // The header and the directory alone, the directory moved to just after the header.
            ByteBuffer tiff = ByteBuffer.allocate(10 + 12 * entries).order(order)
                    .put(header, 0, 4).putInt(8).put(count);
            in.readFully(tiff.array(), 10, 12 * entries);
            return fromTiff(tiff.array(), 0);
        } catch (EOFException | IIOException e) {
            return NORMAL;
        }
    }

    private static boolean isExif(byte[] s) {
        return s[0] == 'E' && s[1] == 'x' && s[2] == 'i' && s[3] == 'f' && s[4] == 0 && s[5] == 0;
    }

    /** Orientation tag of IFD0 of the TIFF structure at {@code start}; NORMAL when absent or invalid. */
    static int fromTiff(byte[] b, int start) {
        TiffDirectory ifd = new TiffDirectory(b, start);
        long value = ifd.valid() && ifd.type(TAG_ORIENTATION) == TiffDirectory.SHORT
                ? ifd.value(TAG_ORIENTATION, NORMAL) : NORMAL;
        return value >= 1 && value <= 8 ? (int) value : NORMAL;
    }

    /** Width and height swap for orientations 5-8 (a quarter turn is involved). */
    static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /**
     * Returns the upright picture. Flips and the half turn (2-4) happen in place; quarter turns (5-8)
     * need a second raster of the same size, since width and height swap. (The worker avoids that second raster:
     * it writes the PNG from the stored pixels, {@link #turnedRows a band of rows} at a time.)
     *
     * @param image a {@link StandardImage} (interleaved bytes, no padding)
     * @param allocator where the raster of a quarter turn comes from
     */
    static BufferedImage apply(BufferedImage image, int orientation, StandardImage.Allocator allocator) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int bands = image.getRaster().getNumBands();
        byte[] src = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        switch (orientation) {
            case 2 -> {
                for (int y = 0; y < h; y++) {
                    reversePixels(src, y * w, w, bands);
                }
                return image;
            }
            case 3 -> {
                reversePixels(src, 0, w * h, bands);
                return image;
            }
            case 4 -> {
                swapRows(src, w * bands, h);
                return image;
            }
            default -> {
                BufferedImage turned = allocator.allocate(h, w, bands == 4);
                byte[] dst = ((DataBufferByte) turned.getRaster().getDataBuffer()).getData();
                turnedRows(src, w, h, bands, orientation, 0, w, dst);
                return turned;
            }
        }
    }

    private static void reversePixels(byte[] d, int firstPixel, int count, int bands) {
        int i = firstPixel * bands;
        int j = (firstPixel + count - 1) * bands;
        while (i < j) {
            for (int k = 0; k < bands; k++) {
                byte t = d[i + k];
                d[i + k] = d[j + k];
                d[j + k] = t;
            }
            i += bands;
            j -= bands;
        }
    }

    private static void swapRows(byte[] d, int rowBytes, int h) {
        byte[] tmp = new byte[rowBytes];
        for (int top = 0, bottom = h - 1; top < bottom; top++, bottom--) {
            System.arraycopy(d, top * rowBytes, tmp, 0, rowBytes);
            System.arraycopy(d, bottom * rowBytes, d, top * rowBytes, rowBytes);
            System.arraycopy(tmp, 0, d, bottom * rowBytes, rowBytes);
        }
    }

    /**
     * Rows [{@code first}, {@code end}) of the upright picture of a quarter turn (5-8), into {@code dst} from its
     * start: its destination (dx, dy) is source pixel base + dx·stepX + dy·stepY of the w×h stored pixels. Walked
     * in tiles, so the source column reads stay in the cache.
     */
    static void turnedRows(byte[] src, int w, int h, int bands, int orientation, int first, int end, byte[] dst) {
        int base;
        int stepX;
        int stepY;
        switch (orientation) {
            case 5 -> { base = 0; stepX = w; stepY = 1; }                       // transpose
            case 6 -> { base = (h - 1) * w; stepX = -w; stepY = 1; }            // 90° clockwise
            case 7 -> { base = (h - 1) * w + w - 1; stepX = -w; stepY = -1; }   // transverse
            case 8 -> { base = w - 1; stepX = w; stepY = -1; }                  // 90° counter-clockwise
            default -> throw new IllegalArgumentException("not a quarter turn: orientation " + orientation);
        }
        int dstW = h;
        final int tile = 64;
        for (int ty = first; ty < end; ty += tile) {
            int yEnd = Math.min(ty + tile, end);
            for (int tx = 0; tx < dstW; tx += tile) {
                int xEnd = Math.min(tx + tile, dstW);
                for (int dy = ty; dy < yEnd; dy++) {
                    int s = (base + tx * stepX + dy * stepY) * bands;
                    int d = ((dy - first) * dstW + tx) * bands;
                    int sStep = stepX * bands;
                    for (int dx = tx; dx < xEnd; dx++) {
                        for (int k = 0; k < bands; k++) {
                            dst[d + k] = src[s + k];
                        }
                        s += sStep;
                        d += bands;
                    }
                }
            }
        }
    }
}
