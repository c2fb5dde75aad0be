package dev.imagery.worker.image;

/**
 * Tetrahedral interpolation in a colour table, as colour management systems do between their own table's entries
 * ({@link CmykProfile}, {@link RgbTable}). The table has an entry every {@code step} levels (0, step, ..., 255) of
 * three channels, the first channel slowest, each entry one element of its array (a long whose lanes hold the
 * entry's three values, so that one multiply-add a corner weighs all three). A colour between the levels lies in a
 * cube of eight entries, and in one of the six tetrahedra that split that cube along its diagonal: the one for the
 * order of its distances from the cube's lower corner along the three axes. Its value is the weighted sum of that
 * tetrahedron's four corners: the lower corner ({@link #base}, weight {@link #w0}), the two between
 * ({@link #first}, {@link #second}) and the upper corner ({@link #top}, {@link #w3}).
 *
 * <p>One instance is used pixel after pixel within a loop (its fields stay in registers). Each channel's cell and
 * distance are looked up, not divided out, and the tetrahedron is found without branches: the distances sorted with
 * max and min, the corners between looked up by the three comparisons. Photos' noise sends neighbouring pixels into
 * different tetrahedra often enough that six branches cost more: a 4.1 MP CMYK photo's inks took 67.6 ms on one
 * core with them, 51.2 without (the same bytes; a probe, session 22). Session 20 found the opposite with a table of
 * bytes and a sort of its own (104 ms against 84).
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
    /**
     * By the order of the three distances (bit 0: d0 >= d1, bit 1: d1 >= d2, bit 2: d0 >= d2; 3 and 4 cannot
     * happen): the offset of the corner one step along the largest distance's axis, and of the corner one step
     * along the two largest distances' axes.
     */
    private final int[] toFirst;
    private final int[] toSecond;

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
        this.stride0 = points * points;
        this.stride1 = points;
        this.diagonal = stride0 + stride1 + 1;
        toFirst = new int[] {1, 1, stride1, stride0, stride0, stride0, stride1, stride0};
        toSecond = new int[] {1 + stride1, 1 + stride0, stride1 + 1, stride0 + stride1, stride0 + stride1, stride0 + 1,
            stride1 + stride0, stride0 + stride1};
        for (int level = 0; level < 256; level++) {
            int lower = Math.min(level / step, points - 2);
            cell0[level] = lower * stride0;
            cell1[level] = lower * stride1;
            cell2[level] = lower;
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
        int order = (d0 >= d1 ? 1 : 0) | (d1 >= d2 ? 2 : 0) | (d0 >= d2 ? 4 : 0);
        int high = Math.max(d0, Math.max(d1, d2));
        int low = Math.min(d0, Math.min(d1, d2));
        int middle = d0 + d1 + d2 - high - low;
        first = base + toFirst[order];
        second = base + toSecond[order];
        w0 = step - high;
        w1 = high - middle;
        w2 = middle - low;
        w3 = low;
    }
}
