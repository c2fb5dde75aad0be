package dev.imagery.worker.image;

/**
 * Tetrahedral interpolation in a colour table, as colour management systems do between their own table's entries
 * ({@link CmykProfile}, {@link RgbTable}). The table has an entry every {@code step} levels (0, step, ..., 255) of
 * three channels, three values an entry, the first channel slowest. A colour between the levels lies in a cube of
 * eight entries, and in one of the six tetrahedra that split that cube along its diagonal: the one for the order of
 * its distances from the cube's lower corner along the three axes. Its value is the weighted sum of that
 * tetrahedron's four corners: the lower corner ({@link #base}, weight {@link #w0}), the two between
 * ({@link #first}, {@link #second}) and the upper corner ({@link #top}, {@link #w3}).
 *
 * <p>One instance is used pixel after pixel within a loop (its fields stay in registers). Each channel's cell and
 * distance are looked up, not divided out. The six branches stay: sorting the distances without them (max, min and
 * the rest) gave the same bytes but took 104 ms for a 4.1 MP CMYK photo against 84, as neighbouring pixels mostly take
 * the same branch.
 */
final class Tetrahedron {

    private final int step;
    private final int stride0;
    private final int stride1;
    private final int diagonal;
    /** For each level: the offset of its cell's lower corner along each axis, and its distance from that corner. */
    private final int[] cell0 = new int[256];
    private final int[] cell1 = new int[256];
    private final int[] cell2 = new int[256];
    private final int[] distance = new int[256];

    /** Offsets in the table of the four corners around the last colour located. */
    int base;
    int first;
    int second;
    int top;
    /** Their weights, which add up to the table's step. */
    int w0;
    int w1;
    int w2;
    int w3;

    Tetrahedron(int step) {
        int points = points(step);
        this.step = step;
        this.stride0 = points * points * 3;
        this.stride1 = points * 3;
        this.diagonal = stride0 + stride1 + 3;
        for (int level = 0; level < 256; level++) {
            int lower = Math.min(level / step, points - 2);
            cell0[level] = lower * stride0;
            cell1[level] = lower * stride1;
            cell2[level] = lower * 3;
            distance[level] = level - lower * step;
        }
    }

    /** Entries along each channel of a table with an entry every {@code step} levels: 0, step, ..., 255. */
    static int points(int step) {
        return 255 / step + 1;
    }

    /** Finds the corners and weights for the colour (a, b, c), each 0 to 255. */
    void locate(int a, int b, int c) {
        base = cell0[a] + cell1[b] + cell2[c];
        top = base + diagonal;
        int d0 = distance[a];
        int d1 = distance[b];
        int d2 = distance[c];
        if (d0 >= d1 && d1 >= d2) {
            set(stride0, stride0 + stride1, d0 - d1, d1 - d2, d2);
        } else if (d0 >= d2 && d2 >= d1) {
            set(stride0, stride0 + 3, d0 - d2, d2 - d1, d1);
        } else if (d2 >= d0 && d0 >= d1) {
            set(3, 3 + stride0, d2 - d0, d0 - d1, d1);
        } else if (d1 >= d0 && d0 >= d2) {
            set(stride1, stride1 + stride0, d1 - d0, d0 - d2, d2);
        } else if (d1 >= d2 && d2 >= d0) {
            set(stride1, stride1 + 3, d1 - d2, d2 - d0, d0);
        } else {
            set(3, 3 + stride1, d2 - d1, d1 - d0, d0);
        }
    }

    private void set(int toFirst, int toSecond, int w1, int w2, int w3) {
        this.first = base + toFirst;
        this.second = base + toSecond;
        this.w0 = step - w1 - w2 - w3;
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
    }
}
