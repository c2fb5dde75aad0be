package dev.imagery.worker.image;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Deflate with Intel's ISA-L ({@code igzip}): on the sepia PNG's rows about four times as fast as zlib's level 1,
 * with output no larger (the 8.0 MP photo's 1 MB strips, one thread: 54 against 232 ms, 9.10 against 9.29 MB;
 * docs/PERFORMANCE.md). Deflate was about 60 % of the worker's CPU.
 *
 * <p>It is the system's {@code libisal} (Debian: {@code libisal2}; Fedora: {@code isa-l}), called through
 * jnr-ffi like {@link TurboJpeg}. Where the library is missing, or with {@code -Dimagery.isa-l=false},
 * {@link #available()} is false and {@link PngWriter} deflates with zlib as before. Each call compresses a
 * segment without history ({@code isal_deflate_stateless}) and, unless it ends the image, on a byte-aligned full
 * flush without a final block: the strips' independent streams, and the segments within them, follow each other
 * directly, as the zlib strips' sync flushes do.
 */
final class IsalDeflate {

    private static final Logger log = LoggerFactory.getLogger(IsalDeflate.class);

    /** The part of igzip_lib.h used here; the stream is {@code struct isal_zstream}, laid out below. */
    public interface Library {
        void isal_deflate_stateless_init(Pointer stream);

        int isal_deflate_stateless(Pointer stream);
    }

    // struct isal_zstream on LP64 (x86-64 and arm64 Linux): offsets printed with offsetof against Debian's ISA-L 2.30
    // headers. The soname, libisal.so.2, is the library's promise that they hold for the versions that share it.
    private static final int NEXT_IN = 0;
    private static final int AVAIL_IN = 8;
    private static final int NEXT_OUT = 16;
    private static final int AVAIL_OUT = 24;
    private static final int TOTAL_OUT = 28;
    private static final int LEVEL = 40;
    private static final int LEVEL_BUF_SIZE = 44;
    private static final int LEVEL_BUF = 48;
    private static final int END_OF_STREAM = 56;
    private static final int FLUSH = 58;
    /** sizeof(struct isal_zstream) is 82 384 bytes in 2.30 (its internal state); room to spare for others. */
    private static final int STREAM_BYTES = 128 * 1024;
    /** ISAL_DEF_LVL3_DEFAULT, which is at least every level's default buffer. */
    private static final int LEVEL_BUF_BYTES = 348_160;
    private static final int NO_FLUSH = 0;
    private static final int FULL_FLUSH = 2;
    private static final int COMP_OK = 0;
    private static final int STATELESS_OVERFLOW = -1;

    /**
     * Bytes deflated in one call: a strip's megabyte in 4 costs 0.3 % in size against one call (the 8.0 MP photo, 9.13
     * against 9.10 MB) and keeps each stream's native memory under a megabyte.
     */
    static final int SEGMENT = 256 * 1024;
    /** Stored blocks bound what deflate writes (5 bytes a 64 KB block); the rest is headroom for headers. */
    private static final int OUTPUT_BYTES = SEGMENT + SEGMENT / 8 + 4096;

    /** igzip's levels, which {@link PngWriter}'s levels 1-3 map to one for one. */
    static final int MAX_LEVEL = 3;

    /**
     * Native buffers, reused last in, first out: as many as strips compress at once, each under a megabyte. Declared
     * before {@link #LIBRARY}, whose check gives its buffers back here.
     */
    private static final ConcurrentLinkedDeque<Buffers> IDLE = new ConcurrentLinkedDeque<>();

    private static final Library LIBRARY = deflatesRight(SystemLibrary.load(Library.class, "isal", "imagery.isa-l",
            "PNG deflate with ISA-L", "PNGs are deflated by zlib, which takes about four times the CPU"));

    private IsalDeflate() {
    }

    /**
     * The library, if a sample deflated through it (two segments, the second final) inflates back to itself with the
     * JDK's zlib: a libisal whose stream is laid out otherwise than the offsets above must not write PNGs.
     */
    private static Library deflatesRight(Library library) {
        if (library == null) {
            return null;
        }
        byte[] sample = new byte[SEGMENT + SEGMENT / 2];
        for (int i = 1; i < sample.length; i++) {
            sample[i] = (byte) (sample[i - 1] + (i * 7919 >>> 11) % 5 - 2);
        }
        PngEncoding.Chunks deflated = new PngEncoding.Chunks();
        Inflater inflater = new Inflater(true);
        try (Input input = new Input(new Buffers(library), 1, deflated)) {
            input.write(sample, 0, sample.length);
            input.finish(true);
            inflater.setInput(deflated.toByteArray());
            byte[] inflated = new byte[sample.length + 1];
            int n = inflater.inflate(inflated);
            if (inflater.finished() && n == sample.length && Arrays.equals(sample, 0, n, inflated, 0, n)) {
                return library;
            }
        } catch (RuntimeException | DataFormatException e) {
            log.warn("libisal failed its check ({}): PNGs are deflated by zlib", e.toString());
            return null;
        } finally {
            inflater.end();
        }
        log.warn("libisal failed its check (its output does not inflate to its input): PNGs are deflated by zlib");
        return null;
    }

    static boolean available() {
        return LIBRARY != null;
    }

    /** Whether the strips of a PNG at this zlib level and strategy go here: plain deflate at levels 1-3. */
    static boolean handles(int level, SepiaSettings.DeflateStrategy strategy) {
        return available() && strategy == SepiaSettings.DeflateStrategy.DEFAULT && level >= 1 && level <= MAX_LEVEL;
    }

    /**
     * A strip to deflate into {@code out} (the strip's own: {@link Input#deflatedSize()} counts all of it): its rows
     * are written in batches, deflated a segment at a time.
     */
    static Input input(int level, PngEncoding.Chunks out) {
        Buffers buffers = IDLE.pollFirst();
        return new Input(buffers != null ? buffers : new Buffers(LIBRARY), level, out);
    }

    /**
     * One strip's filtered rows, deflated in segments of {@value #SEGMENT} bytes, each without history and ending on
     * a full flush, so that a segment needs only that much native memory. Close it to give the memory back.
     */
    static final class Input implements AutoCloseable {
        private final Buffers buffers;
        private final int level;
        private final PngEncoding.Chunks out;

        private Input(Buffers buffers, int level, PngEncoding.Chunks out) {
            this.buffers = buffers;
            this.level = level;
            this.out = out;
            buffers.pending = 0;
        }

        void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (buffers.pending == SEGMENT) {
                    // Only when more follows: the strip's last segment is deflated by finish, as the final one
                    // if the strip is the last.
                    buffers.deflateTo(out, level, false);
                }
                int n = Math.min(len, SEGMENT - buffers.pending);
                buffers.input.put(buffers.pending, b, off, n);
                buffers.pending += n;
                off += n;
                len -= n;
            }
        }

        /**
         * The compressed size of what was written so far, the pending segment's not kept: what AUTO compares.
         */
        long deflatedSize() {
            return out.size() + buffers.deflate(level, false);
        }

        /**
         * Deflates the rest: ending in the final block when {@code last}, else byte-aligned with no final block.
         */
        void finish(boolean last) {
            buffers.deflateTo(out, level, last);
        }

        @Override
        public void close() {
            IDLE.offerFirst(buffers);
        }
    }

    /** One stream's native memory: the stream, igzip's level buffer, a segment in and its deflated form out. */
    private static final class Buffers {
        private final Library library;
        private final Runtime runtime;
        private final Pointer stream;
        private final Pointer levelBuf;
        private final ByteBuffer input = ByteBuffer.allocateDirect(SEGMENT);
        private final long inputAddress;
        private final byte[] staging = new byte[64 * 1024];
        private int pending;
        private Pointer output;
        private int outputCapacity = OUTPUT_BYTES;

        Buffers(Library library) {
            this.library = library;
            this.runtime = Runtime.getRuntime(library);
            this.stream = Memory.allocateDirect(runtime, STREAM_BYTES);
            this.levelBuf = Memory.allocateDirect(runtime, LEVEL_BUF_BYTES);
            this.inputAddress = Pointer.wrap(runtime, input).address();
            this.output = Memory.allocateDirect(runtime, OUTPUT_BYTES);
        }

        /** Deflates the pending segment into {@code out} and empties it. */
        void deflateTo(PngEncoding.Chunks out, int level, boolean last) {
            int written = deflate(level, last);
            for (int at = 0; at < written; at += staging.length) {
                int n = Math.min(staging.length, written - at);
                output.get(at, staging, 0, n);
                out.write(staging, 0, n);
            }
            pending = 0;
        }

        /**
         * Deflates the pending segment into {@link #output}; returns the compressed length. Every segment is given
         * the same room for its output, whatever an earlier user of these buffers needed, so that its bytes depend on
         * the segment alone. With the room left as it was, the same image deflated on one core and on two now and
         * then differed ({@code PngWriterTest}: 1 run in 6, and once in CI; none in 18 since).
         */
        int deflate(int level, boolean last) {
            for (int room = OUTPUT_BYTES; ; room *= 2) {
                if (room > outputCapacity) {
                    output = Memory.allocateDirect(runtime, room);
                    outputCapacity = room;
                }
                library.isal_deflate_stateless_init(stream);
                stream.putAddress(NEXT_IN, inputAddress);
                stream.putInt(AVAIL_IN, pending);
                stream.putAddress(NEXT_OUT, output.address());
                stream.putInt(AVAIL_OUT, room);
                stream.putInt(LEVEL, level);
                stream.putInt(LEVEL_BUF_SIZE, LEVEL_BUF_BYTES);
                stream.putAddress(LEVEL_BUF, levelBuf.address());
                stream.putShort(END_OF_STREAM, (short) (last ? 1 : 0));
                stream.putShort(FLUSH, (short) (last ? NO_FLUSH : FULL_FLUSH));
                int result = library.isal_deflate_stateless(stream);
                if (result == COMP_OK) {
                    return stream.getInt(TOTAL_OUT);
                }
                if (result != STATELESS_OVERFLOW) {
                    throw new IllegalStateException("isal_deflate_stateless failed: " + result);
                }
            }
        }
    }
}
