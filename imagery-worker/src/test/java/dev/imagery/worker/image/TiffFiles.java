package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;

/** TIFFs for the tests: written by the JDK, or another's with one tag changed. */
final class TiffFiles {

    private static final int SHORT = 3;
    private static final int LONG = 4;
    private static final int UNDEFINED = 7;
    private static final int ICC_PROFILE = 34675;

    private TiffFiles() {
    }

    /** The image as an LZW-compressed TIFF in strips of about 8 KB, written by the JDK's TIFF writer. */
    static byte[] lzw(BufferedImage image) throws IOException {
        ImageWriter writer = null;
        for (Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("tiff"); it.hasNext(); ) {
            ImageWriter candidate = it.next();
            if (candidate.getClass().getName().startsWith("com.sun.")) {
                writer = candidate; // TwelveMonkeys' writes the whole image as one strip
            } else {
                candidate.dispose();
            }
        }
        return ImageWriters.write(writer, image, param -> {
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("LZW");
        });
    }

    /**
     * A copy of the TIFF with one SHORT or LONG tag of its first directory, which must have one value, set to
     * {@code value}, its type kept.
     */
    static byte[] withTag(byte[] tiff, int tag, int value) {
        byte[] copy = tiff.clone();
        ByteBuffer b = ByteBuffer.wrap(copy).order(copy[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        int directory = b.getInt(4);
        int entries = b.getShort(directory) & 0xFFFF;
        for (int i = 0; i < entries; i++) {
            int entry = directory + 2 + 12 * i;
            if ((b.getShort(entry) & 0xFFFF) == tag) {
                if (b.getInt(entry + 4) != 1) {
                    throw new IllegalArgumentException("tag " + tag + " has more than one value");
                }
                int type = b.getShort(entry + 2);
                if (type == SHORT && value <= 0xFFFF) {
                    b.putShort(entry + 8, (short) value).putShort(entry + 10, (short) 0);
                } else if (type == LONG) {
                    b.putInt(entry + 8, value);
                } else {
                    throw new IllegalArgumentException("tag " + tag + " is of type " + type);
                }
                return copy;
            }
        }
        throw new IllegalArgumentException("no tag " + tag + " in the first directory");
    }

    /**
     * A copy of the TIFF with an ICC profile (tag 34675) in its first directory: the profile and a new directory,
     * with the old one's entries and the profile's in order of their tags, are appended, and the header points to the
     * new directory. Nothing else moves, so the old entries' offsets still hold.
     */
    static byte[] withIccProfile(byte[] tiff, byte[] icc) {
        ByteOrder order = tiff[0] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer in = ByteBuffer.wrap(tiff).order(order);
        int directory = in.getInt(4);
        int entries = in.getShort(directory) & 0xFFFF;
        int profileAt = (tiff.length + 1) & ~1; // word boundaries, as TIFF wants
        int newDirectory = (profileAt + icc.length + 1) & ~1;
        ByteBuffer out = ByteBuffer.allocate(newDirectory + 2 + 12 * (entries + 1) + 4).order(order);
        out.put(tiff).position(profileAt);
        out.put(icc).position(newDirectory);
        out.putShort((short) (entries + 1));
        boolean added = false;
        for (int i = 0; i < entries; i++) {
            int entry = directory + 2 + 12 * i;
            if (!added && (in.getShort(entry) & 0xFFFF) > ICC_PROFILE) {
                putIccEntry(out, icc.length, profileAt);
                added = true;
            }
            out.put(tiff, entry, 12);
        }
        if (!added) {
            putIccEntry(out, icc.length, profileAt);
        }
        out.putInt(0); // no next directory
        out.putInt(4, newDirectory);
        return out.array();
    }

    private static void putIccEntry(ByteBuffer out, int length, int at) {
        out.putShort((short) ICC_PROFILE).putShort((short) UNDEFINED).putInt(length).putInt(at);
    }
}
