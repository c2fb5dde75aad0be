package dev.imagery.worker.image;

/**
 * Rows of interleaved samples as PNG and TIFF store them (grey, grey and alpha, RGB or RGBA; 8 bits a sample, or 16
 * in either byte order) copied into a {@link StandardImage}'s BGR or ABGR bytes: grey to R, G and B, 16-bit samples
 * rounded to 8 bits with the formula {@link StandardImage} uses on ImageIO's pixels, so both paths give the same
 * bytes.
 *
 * @param width pixels a row
 * @param channels samples a pixel: 1 grey, 2 grey and alpha, 3 RGB, 4 RGBA
 * @param sampleBytes 1 or 2
 * @param littleEndian whether a 16-bit sample's low byte comes first (TIFFs that start with II; never in PNG)
 */
record SampleRows(int width, int channels, int sampleBytes, boolean littleEndian) {

    /** Grey with alpha and RGBA: the even counts. */
    boolean alpha() {
        return channels % 2 == 0;
    }

    /** Bytes a pixel in the file. */
    int pixelBytes() {
        return channels * sampleBytes;
    }

    /** Bytes a row in the file. */
    int rowBytes() {
        return width * pixelBytes();
    }

    /** Bytes a row in the image. */
    int outRowBytes() {
        return width * (alpha() ? 4 : 3);
    }

    /** One row, from {@code row[from]}, to the image's bytes from {@code out[o]}; 8-bit RGB(A) by a faster loop. */
    void store(byte[] row, int from, byte[] out, int o) {
        int n = rowBytes();
        if (sampleBytes == 1 && channels == 3) {
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

    /** An 8-bit sample, or a 16-bit one rounded to 8 bits. */
    private int sample(byte[] row, int at) {
        if (sampleBytes == 1) {
            return row[at] & 0xFF;
        }
        int high = littleEndian ? row[at + 1] : row[at];
        int low = littleEndian ? row[at] : row[at + 1];
        return (((high & 0xFF) << 8 | low & 0xFF) * 255 + 32767) / 65535;
    }
}
