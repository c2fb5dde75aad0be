package dev.imagery.worker.image;

import java.awt.Toolkit;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.DirectColorModel;
import java.awt.image.ImageConsumer;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStream;

/**
 * The plain JPEG: 8-bit YCbCr (three components with the standard ids 1-2-3; an Adobe marker, if any, saying
 * YCbCr too) or grey (one component, for libjpeg-turbo only), baseline or progressive Huffman, no ICC profile or an
 * RGB one Java can apply ({@link RgbProfile}), ending with its EOI marker; or, for libjpeg-turbo only, Adobe's CMYK or
 * YCCK with a CMYK profile or none ({@link CmykProfile}), as print workflows save photos. Such a file can skip
 * ImageIO and its colour management and go to a faster decoder: {@link TurboJpeg} where libjpeg-turbo is installed,
 * else, for a progressive colour file, {@link #decodeProgressive}; a profile other than sRGB is applied afterwards
 * ({@link Header#inSrgb}).
 * Everything else (and a file cut short, which ImageIO must report) goes to ImageIO.
 *
 * <p>Why progressive files need help without libjpeg-turbo: ImageIO's JPEG reader (which TwelveMonkeys
 * delegates to for ordinary colour JPEGs) renders the whole picture once per scan, typically 10 times. The
 * JDK's other JPEG decoder, behind {@link Toolkit#createImage(byte[])}, first reads all the input that is
 * available and then renders once (or a few times for very large files), with the same libjpeg, the same
 * IDCT and the same colour conversion: the pixels are identical (checked on the corpus by
 * {@code PlainJpegTest}).
 */
final class PlainJpeg {

    private static final int SOF0 = 0xC0;
    private static final int SOF1 = 0xC1;
    private static final int SOF2 = 0xC2;
    private static final int SOS = 0xDA;
    private static final int APP2 = 0xE2;
    private static final int APP14 = 0xEE;
    private static final byte[] ADOBE = "Adobe".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ICC_PROFILE = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DISPLAY_CLASS = "mntr".getBytes(StandardCharsets.US_ASCII);
    private static final long DECODE_TIMEOUT_MINUTES = 5;

    private PlainJpeg() {
    }

    /**
     * What the headers say, when this decoder can take the file.
     *
     * @param profile the embedded profile the decoded pixels are in, or null when they are sRGB already
     * @param cmyk    a CMYK file's embedded profile, which brings its inks to sRGB ({@link CmykProfile#NONE} without
     *                one); null for YCbCr and grey
     */
    record Header(int width, int height, boolean progressive, boolean grey, RgbProfile profile, CmykProfile cmyk) {

        Header convertedFrom(RgbProfile embedded) {
            return new Header(width, height, progressive, grey, embedded.isSrgb() ? null : embedded, null);
        }

        Header withInks(CmykProfile inks) {
            return new Header(width, height, progressive, false, null, inks);
        }

        /** Whether the JDK's decoder can take the file when libjpeg-turbo is missing: only progressive YCbCr. */
        boolean decodableWithoutTurboJpeg() {
            return progressive && !grey && cmyk == null;
        }

        /** The decoded pixels, brought to sRGB in place if they are not. */
        BufferedImage inSrgb(BufferedImage decoded) {
            if (decoded != null && profile != null) {
                profile.toSrgb(decoded);
            }
            return decoded;
        }
    }

    /**
     * Reads the markers before the first scan (from the stream's current position, which it leaves anywhere).
     * Null unless the file qualifies (see the class comment).
     */
    static Header qualify(ImageInputStream in) throws IOException {
        try {
            if (in.read() != 0xFF || in.read() != 0xD8) {
                return null;
            }
            Header header = null;
            IccProfile icc = null;
            boolean adobeRgb = false;
            boolean adobeCmyk = false;
            boolean inks = false;
            for (int segments = 0; segments < 256; segments++) {
                if (in.read() != 0xFF) {
                    return null;
                }
                int marker;
                do {
                    marker = in.read();
                } while (marker == 0xFF);
                if (marker < 0) {
                    return null;
                }
                if (marker == SOS) {
                    if (header == null || adobeRgb && !header.grey() && !inks) {
                        return null;
                    }
                    if (inks) {
                        // Inks as Adobe stores them (CMYK or YCCK, inverted), with the profile that gives their
                        // colours: ImageIO's conversion took 0.9 s for a 4.1 MP photo (CmykProfile); or without
                        // one, converted as ImageIO does. Only libjpeg-turbo decodes to inks, so without it no
                        // table is made.
                        if (!adobeCmyk || !TurboJpeg.available()) {
                            return null;
                        }
                        if (icc == null) {
                            return header.withInks(CmykProfile.NONE);
                        }
                        byte[] bytes = icc.bytes();
                        CmykProfile profile = bytes == null ? null : CmykProfile.of(bytes);
                        return profile == null ? null : header.withInks(profile);
                    }
                    if (icc == null) {
                        return header;
                    }
                    if (header.grey()) {
                        // A grey profile leaves the samples as they are, as on ImageIO's path.
                        byte[] bytes = icc.bytes();
                        return bytes != null && StandardImage.keepsSamples(bytes) ? header : null;
                    }
                    RgbProfile profile = icc.profile();
                    return profile == null ? null : header.convertedFrom(profile);
                }
                if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
                    continue;
                }
                int length = in.readUnsignedShort() - 2;
                if (length < 0) {
                    return null;
                }
                if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                    if ((marker != SOF0 && marker != SOF1 && marker != SOF2) || length < 9) {
                        return null; // arithmetic, lossless or hierarchical: for TwelveMonkeys or the JDK
                    }
                    int precision = in.read();
                    int height = in.readUnsignedShort();
                    int width = in.readUnsignedShort();
                    int components = in.read();
                    if (precision != 8 || (components != 3 && components != 1 && components != 4)
                            || length < 6 + 3 * components || width == 0 || height == 0) {
                        return null;
                    }
                    for (int c = 1; c <= components; c++) {
                        int id = in.read();
                        in.read(); // sampling factors
                        in.read(); // quantisation table
                        if (id != c && components == 3) {
                            return null; // RGB ('R','G','B') or other ids: let ImageIO decide what they mean
                        }
                    }
                    in.skipBytes(length - 6 - 3 * components);
                    header = new Header(width, height, marker == SOF2, components == 1, null, null);
                    inks = components == 4;
                } else if (marker == APP2 || marker == APP14) {
                    byte[] segment = new byte[length];
                    in.readFully(segment);
                    // Adobe's marker with transform 1 says YCbCr, what the component ids say already; 0 says RGB, or
                    // nothing for a single grey component (libjpeg reads that as grey whatever the marker says).
                    if (marker == APP14 && startsWith(segment, ADOBE) && (length < 12 || segment[11] != 1)) {
                        adobeRgb = true;
                        // For four components, transform 0 says CMYK and 2 YCCK: libjpeg-turbo gives inks for both.
                        adobeCmyk = length >= 12 && (segment[11] == 0 || segment[11] == 2);
                    }
                    if (marker == APP2 && startsWith(segment, ICC_PROFILE)) {
                        icc = icc == null ? new IccProfile() : icc;
                        if (!icc.add(segment)) {
                            return null;
                        }
                    }
                } else {
                    in.skipBytes(length);
                }
            }
            return null;
        } catch (EOFException | IIOException e) {
            return null;
        }
    }

    private static boolean startsWith(byte[] segment, byte[] prefix) {
        return segment.length >= prefix.length && Arrays.equals(segment, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** An ICC profile, split over APP2 segments: "ICC_PROFILE\0", the segment's number from 1, how many, data. */
    private static final class IccProfile {
        private byte[][] chunks;

        boolean add(byte[] segment) {
            if (segment.length < ICC_PROFILE.length + 2) {
                return false;
            }
            int number = segment[ICC_PROFILE.length] & 0xFF;
            int count = segment[ICC_PROFILE.length + 1] & 0xFF;
            chunks = chunks == null ? new byte[count][] : chunks;
            if (count != chunks.length || number < 1 || number > count || chunks[number - 1] != null) {
                return false;
            }
            chunks[number - 1] = Arrays.copyOfRange(segment, ICC_PROFILE.length + 2, segment.length);
            return true;
        }

        /** Null unless all segments are there and the profile is one {@link RgbProfile} takes. */
        RgbProfile profile() {
            byte[] profile = bytes();
            return profile == null ? null : RgbProfile.parse(profile);
        }

        /**
         * The profile's bytes, its segments joined, as TwelveMonkeys' JPEG reader has Java's colour management use
         * them: with the class of a display profile, whatever it was. That changes how Java renders a printer's
         * profile (by up to 45 levels for U.S. Web Coated SWOP), so tables made from it give ImageIO's pixels.
         * Null unless all segments are there.
         */
        byte[] bytes() {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (byte[] chunk : chunks) {
                if (chunk == null) {
                    return null;
                }
                joined.writeBytes(chunk);
            }
            byte[] profile = joined.toByteArray();
            if (profile.length > 16) {
                System.arraycopy(DISPLAY_CLASS, 0, profile, 12, 4);
            }
            return profile;
        }
    }

    /** All of the stream's bytes from its start. */
    static byte[] readAll(ImageInputStream in) throws IOException {
        if (in instanceof InMemoryUpload upload) {
            return upload.bytes();
        }
        in.seek(0);
        long length = in.length();
        if (length > 0 && length <= InMemoryUpload.MAX_LENGTH) {
            byte[] all = new byte[(int) length];
            in.readFully(all);
            return all;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    /** True when the data ends with EOI (FF D9): a complete file, as far as the end tells. */
    static boolean endsWithEoi(byte[] jpeg) {
        return jpeg.length > 4 && (jpeg[jpeg.length - 2] & 0xFF) == 0xFF && (jpeg[jpeg.length - 1] & 0xFF) == 0xD9;
    }

    /**
     * Decodes a progressive file with the JDK's libjpeg in one pass, into a TYPE_3BYTE_BGR image of the header's
     * size; null if the decoder fails or disagrees with the header (the caller then uses ImageIO, which explains
     * the failure).
     */
    static BufferedImage decodeProgressive(byte[] jpeg, Header header) throws IOException {
        Consumer consumer = new Consumer(header);
        Toolkit.getDefaultToolkit().createImage(jpeg).getSource().startProduction(consumer);
        try {
            if (!consumer.await()) {
                return null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while decoding");
        }
        return consumer.failed ? null : consumer.image;
    }

    /** Receives the decoder's rows (on its own thread) straight into the BGR raster. */
    private static final class Consumer implements ImageConsumer {
        private final BufferedImage image;
        private final byte[] bgr;
        private final int width;
        private final int height;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile boolean failed;

        Consumer(Header header) {
            width = header.width();
            height = header.height();
            // Never a recycled raster: the decoder's thread may go on writing rows after a timeout.
            image = StandardImage.create(width, height, false);
            bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        }

        boolean await() throws InterruptedException {
            return done.await(DECODE_TIMEOUT_MINUTES, TimeUnit.MINUTES) && !failed;
        }

        @Override
        public void setDimensions(int w, int h) {
            if (w != width || h != height) {
                failed = true;
            }
        }

        @Override
        public void setProperties(Hashtable<?, ?> props) {
        }

        @Override
        public void setColorModel(ColorModel model) {
        }

        @Override
        public void setHints(int hintflags) {
        }

        @Override
        public void setPixels(int x, int y, int w, int h, ColorModel model, byte[] pixels, int off, int scansize) {
            failed = true; // grey or indexed output: not the case this class takes
        }

        @Override
        public void setPixels(int x, int y, int w, int h, ColorModel model, int[] pixels, int off, int scansize) {
            if (failed || x < 0 || y < 0 || x + w > width || y + h > height) {
                failed = true;
                return;
            }
            boolean rgb = model instanceof DirectColorModel d && d.getRedMask() == 0xFF0000
                    && d.getGreenMask() == 0xFF00 && d.getBlueMask() == 0xFF;
            for (int j = 0; j < h; j++) {
                int s = off + j * scansize;
                int o = ((y + j) * width + x) * 3;
                for (int i = 0; i < w; i++, o += 3) {
                    int p = rgb ? pixels[s + i] : model.getRGB(pixels[s + i]);
                    bgr[o] = (byte) p;
                    bgr[o + 1] = (byte) (p >>> 8);
                    bgr[o + 2] = (byte) (p >>> 16);
                }
            }
        }

        @Override
        public void imageComplete(int status) {
            // The decoder reports STATICIMAGEDONE, then an error as it lets go of its consumers: the first
            // final status counts. SINGLEFRAMEDONE would end a pass, with more to come.
            if (done.getCount() == 0 || status == SINGLEFRAMEDONE) {
                return;
            }
            if (status != STATICIMAGEDONE) {
                failed = true;
            }
            done.countDown();
        }
    }
}
