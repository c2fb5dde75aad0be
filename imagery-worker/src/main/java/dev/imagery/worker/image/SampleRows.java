package dev.imagery.worker.image;

/**
 * Rows of interleaved samples as PNG and TIFF store them (grey, grey and alpha, RGB or RGBA, or CMYK and palette
 * indices in TIFFs; 8 bits a sample, or 16 in either byte order) copied into a {@link StandardImage}'s BGR or ABGR
 * bytes: grey to R, G and B, an index to its colour, 16-bit samples rounded to 8 bits with the formula
 * {@link StandardImage} uses on ImageIO's pixels, CMYK without a profile as TwelveMonkeys converts it, so both paths
 * give the same bytes.
 *
 * @param width pixels a row
 * @param channels samples a pixel: 1 grey, 2 grey and alpha, 3 RGB, 4 RGBA or CMYK
 * @param sampleBytes 1 or 2
 * @param littleEndian whether a 16-bit sample's low byte comes first (TIFFs that start with II; never in PNG)
 * @param cmyk whether the four samples are cyan, magenta, yellow and black ink
 * @param colourKey grey or RGB's transparent colour (a PNG's tRNS chunk) as the file's samples, packed as
 *     {@link #colourKey(int, int, int)} packs them, or {@link #NO_KEY}: pixels of exactly that colour get alpha 0,
 *     all others 255, as ImageIO reads them
 * @param palette for 8-bit indices (one channel), each index's blue, green and red, 768 bytes; otherwise null
 */
record SampleRows(int width, int channels, int sampleBytes, boolean littleEndian, boolean cmyk, long colourKey,
        byte[] palette) {

    static final long NO_KEY = -1;

    SampleRows(int width, int channels, int sampleBytes, boolean littleEndian, boolean cmyk, long colourKey) {
        this(width, channels, sampleBytes, littleEndian, cmyk, colourKey, null);
    }

    SampleRows(int width, int channels, int sampleBytes, boolean littleEndian, boolean cmyk) {
        this(width, channels, sampleBytes, littleEndian, cmyk, NO_KEY);
    }

    SampleRows(int width, int channels, int sampleBytes, boolean littleEndian) {
        this(width, channels, sampleBytes, littleEndian, false, NO_KEY);
    }

    /** 8-bit indices into {@code palette} (blue, green and red of each index). */
    static SampleRows indexed(int width, byte[] palette) {
        return new SampleRows(width, 1, 1, false, false, NO_KEY, palette);
    }

    /** A colour as {@link #colourKey} holds it: red, green and blue samples (grey: all three the same). */
    static long colourKey(int red, int green, int blue) {
        return (long) red << 32 | (long) green << 16 | blue;
    }

    /** The same rows, {@code width} pixels wide (an interlaced image's pass). */
    SampleRows withWidth(int width) {
        return new SampleRows(width, channels, sampleBytes, littleEndian, cmyk, colourKey, palette);
    }

    /** Grey with alpha and RGBA (the even counts that are not CMYK), and grey or RGB with a colour key. */
    boolean alpha() {
        return !cmyk && (channels % 2 == 0 || colourKey != NO_KEY);
    }

    /** Bytes a pixel in the file. */
    int pixelBytes() {
        return channels * sampleBytes;
    }

    /** Bytes a row in the file. */
    int rowBytes() {
        return width * pixelBytes();
    }

    /** Bytes a pixel in the image. */
    int outPixelBytes() {
        return alpha() ? 4 : 3;
    }

    /** Bytes a row in the image. */
    int outRowBytes() {
        return width * outPixelBytes();
    }

    /** One row, from {@code row[from]}, to the image's bytes from {@code out[o]}. */
    void store(byte[] row, int from, byte[] out, int o) {
        store(row, from, out, o, width);
    }

    /**
     * The first {@code pixels} of a row (of a TIFF tile, say), from {@code row[from]}, to the image's bytes from
     * {@code out[o]}; 8-bit RGB(A) by a faster loop.
     */
    void store(byte[] row, int from, byte[] out, int o, int pixels) {
        int n = pixels * pixelBytes();
        if (palette != null) {
            for (int i = from, end = from + n; i < end; i++, o += 3) {
                int colour = 3 * (row[i] & 0xFF);
                out[o] = palette[colour];
                out[o + 1] = palette[colour + 1];
                out[o + 2] = palette[colour + 2];
            }
        } else if (cmyk && sampleBytes == 1) {
            for (int i = from, end = from + n; i < end; i += 4, o += 3) {
                int notBlack = 255 - (row[i + 3] & 0xFF);
                out[o] = withoutInk(row[i + 2], notBlack);
                out[o + 1] = withoutInk(row[i + 1], notBlack);
                out[o + 2] = withoutInk(row[i], notBlack);
            }
        } else if (cmyk) {
            for (int i = from, end = from + n; i < end; i += 8, o += 3) {
                float notBlack = 1 - wide(row, i + 6) / 65535f;
                out[o] = withoutInk(wide(row, i + 4), notBlack);
                out[o + 1] = withoutInk(wide(row, i + 2), notBlack);
                out[o + 2] = withoutInk(wide(row, i), notBlack);
            }
        } else if (colourKey != NO_KEY) {
            for (int i = from, end = from + n; i < end; i += pixelBytes()) {
                int r = raw(row, i);
                int g = channels == 1 ? r : raw(row, i + sampleBytes);
                int b = channels == 1 ? r : raw(row, i + 2 * sampleBytes);
                out[o++] = (byte) (colourKey(r, g, b) == colourKey ? 0 : 255);
                out[o++] = (byte) toByte(b);
                out[o++] = (byte) toByte(g);
                out[o++] = (byte) toByte(r);
            }
        } else if (sampleBytes == 1 && channels == 3) {
            for (int i = 0; i < n; i += 3) {
                out[o + i] = row[from + i + 2];
                out[o + i + 1] = row[from + i + 1];
                out[o + i + 2] = row[from + i];
            }
        } else if (sampleBytes == 1 && channels == 4) {
            for (int i = 0; i < n; i += 4) {
                out[o + i] = row[from + i + 3];
                out[o + i + 1] = row[from + i + 2];
                out[o + i + 2] = row[from + i + 1];
                out[o + i + 3] = row[from + i];
            }
        } else {
            boolean alpha = alpha();
            int colours = alpha ? channels - 1 : channels;
            int bpp = pixelBytes();
            for (int i = from, end = from + n; i < end; i += bpp) {
                int r = sample(row, i);
                int g = colours == 1 ? r : sample(row, i + sampleBytes);
                int b = colours == 1 ? r : sample(row, i + 2 * sampleBytes);
                if (alpha) {
                    out[o++] = (byte) sample(row, i + colours * sampleBytes);
                }
                out[o++] = (byte) b;
                out[o++] = (byte) g;
                out[o++] = (byte) r;
            }
        }
    }

    /**
     * The light one ink and black leave, {@code (1 - ink) × (1 - black)} rounded: what TwelveMonkeys' colour space for
     * CMYK without a profile gives through Java2D (the same for every one of a 4.1 MP image's 12.3 million samples).
     */
    private static byte withoutInk(byte ink, int notBlack) {
        return (byte) (((255 - (ink & 0xFF)) * notBlack + 127) / 255);
    }

    /**
     * The same for 16-bit inks, in floats as Java2D computes them from TwelveMonkeys' colour space (not rounded to 8
     * bits first, which gives a different byte for about one sample in five).
     */
    private static byte withoutInk(int ink, float notBlack) {
        return (byte) (int) ((1 - ink / 65535f) * notBlack * 255 + 0.5f);
    }

    /** An 8-bit sample, or a 16-bit one rounded to 8 bits. */
    private int sample(byte[] row, int at) {
        return toByte(raw(row, at));
    }

    /** A sample as the file has it: 8 or 16 bits. */
    private int raw(byte[] row, int at) {
        return sampleBytes == 1 ? row[at] & 0xFF : wide(row, at);
    }

    /** A sample as the file has it to 8 bits: 16-bit ones rounded. */
    private int toByte(int raw) {
        return sampleBytes == 1 ? raw : (raw * 255 + 32767) / 65535;
    }

    /** A 16-bit sample. */
    private int wide(byte[] row, int at) {
        int high = littleEndian ? row[at + 1] : row[at];
        int low = littleEndian ? row[at] : row[at + 1];
        return (high & 0xFF) << 8 | low & 0xFF;
    }
}
