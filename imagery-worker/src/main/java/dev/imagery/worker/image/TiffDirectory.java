package dev.imagery.worker.image;

import java.util.Arrays;

/**
 * The first image file directory (IFD) of a classic (not Big) TIFF structure held whole in an array: a TIFF file, or
 * the Exif segment of a JPEG, which is one. Offsets in it count from the structure's start. Anything that points
 * outside the array reads as absent, never as an exception.
 */
final class TiffDirectory {
    static final int SHORT = 3;
    private static final int LONG = 4;
    private static final int BYTE = 1;
    private static final int UNDEFINED = 7;
    private final byte[] file;
    private final int start;
    private final boolean little;
    private int first = -1;
    private int entries;

    /** The directory of the structure at {@code file[start]}: its header ("II" or "MM", 42), then the first IFD. */
    TiffDirectory(byte[] file, int start) {
        this.file = file;
        this.start = start;
        boolean header = start >= 0 && file.length - start >= 8;
        this.little = header && file[start] == 'I' && file[start + 1] == 'I';
        boolean big = header && file[start] == 'M' && file[start + 1] == 'M';
        if ((little || big) && u16(start + 2) == 42) {
            long ifd = start + u32(start + 4);
            if (ifd >= start + 8 && ifd + 2 <= file.length) {
                int n = u16((int) ifd);
                if (ifd + 2 + 12L * n <= file.length) {
                    first = (int) ifd + 2;
                    entries = n;
                }
            }
        }
    }

    boolean valid() {
        return first >= 0;
    }

    boolean littleEndian() {
        return little;
    }

    /** Bytes from the structure's start to the array's end: where offsets may point. */
    int length() {
        return file.length - start;
    }

    boolean has(int tag) {
        return entry(tag) >= 0;
    }

    /** The tag's type (3 is SHORT), or -1 when absent. */
    int type(int tag) {
        int e = entry(tag);
        return e < 0 ? -1 : u16(e + 2);
    }

    int count(int tag) {
        int e = entry(tag);
        return e < 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, u32(e + 4));
    }

    /** The tag's first value, or {@code absent}. */
    long value(int tag, long absent) {
        long[] values = values(tag);
        return values == null || values.length == 0 ? absent : values[0];
    }

    /** True when the tag is absent, or each of its values is {@code expected}. */
    boolean allEqual(int tag, long expected) {
        if (!has(tag)) {
            return true;
        }
        long[] values = values(tag);
        if (values == null) {
            return false;
        }
        for (long v : values) {
            if (v != expected) {
                return false;
            }
        }
        return true;
    }

    /** A BYTE, SHORT or LONG tag's values; null when absent, of another type, or pointing outside the file. */
    long[] values(int tag) {
        int e = entry(tag);
        if (e < 0) {
            return null;
        }
        int type = u16(e + 2);
        int size = switch (type) {
            case BYTE -> 1;
            case SHORT -> 2;
            case LONG -> 4;
            default -> 0;
        };
        long count = u32(e + 4);
        int at = dataOf(e, size * count);
        if (size == 0 || at < 0) {
            return null;
        }
        long[] values = new long[(int) count];
        for (int i = 0; i < count; i++) {
            int p = at + i * size;
            values[i] = switch (size) {
                case 1 -> file[p] & 0xFF;
                case 2 -> u16(p);
                default -> u32(p);
            };
        }
        return values;
    }

    /** An UNDEFINED or BYTE tag's bytes (the ICC profile); null as for {@link #values}. */
    byte[] bytes(int tag) {
        int e = entry(tag);
        int type = e < 0 ? -1 : u16(e + 2);
        if (type != UNDEFINED && type != BYTE) {
            return null;
        }
        long count = u32(e + 4);
        int at = dataOf(e, count);
        return at < 0 ? null : Arrays.copyOfRange(file, at, at + (int) count);
    }

    /** Where an entry's data is: in the entry when it fits in four bytes, else at its offset; -1 if outside. */
    private int dataOf(int entry, long bytes) {
        if (bytes <= 4) {
            return entry + 8;
        }
        long at = start + u32(entry + 8);
        return at + bytes <= file.length ? (int) at : -1;
    }

    private int entry(int tag) {
        for (int i = 0; i < entries; i++) {
            int e = first + 12 * i;
            if (u16(e) == tag) {
                return e;
            }
        }
        return -1;
    }

    private int u16(int i) {
        int b0 = file[i] & 0xFF;
        int b1 = file[i + 1] & 0xFF;
        return little ? b0 | b1 << 8 : b0 << 8 | b1;
    }

    private long u32(int i) {
        long lo = u16(little ? i : i + 2);
        long hi = u16(little ? i + 2 : i);
        return hi << 16 | lo;
    }
}
