package dev.imagery.worker.image;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Inflate with Intel's ISA-L ({@code igzip}), for the image data of PNGs: two to two and a half times as fast as zlib
 * (a 4.1 MP PNG's rows 31.9 against 12.5 ms), whose inflate was half of a PNG's decode (docs/PERFORMANCE.md). The
 * system's {@code libisal}, as for {@link IsalDeflate}, and switched off with it ({@code -Dimagery.isa-l=false});
 * without it {@link PlainPng} inflates with zlib.
 *
 * <p>It reads raw deflate: the caller takes the zlib header off, so that only the stream's first fields are set from
 * here, the ones every version of the library lays out alike. The stream keeps its own copy of the last 32 KB of
 * output, so each call may write to a new place.
 */
final class IsalInflate {

    private static final Logger log = LoggerFactory.getLogger(IsalInflate.class);

    /** The part of igzip_lib.h used here; the stream is {@code struct inflate_state}. */
    public interface Library {
        void isal_inflate_init(Pointer state);

        int isal_inflate(Pointer state);
    }

    // struct inflate_state on LP64: its first fields, offsets printed with offsetof against Debian's ISA-L 2.30 headers.
    private static final int NEXT_OUT = 0;
    private static final int AVAIL_OUT = 8;
    private static final int NEXT_IN = 16;
    private static final int AVAIL_IN = 32;
    /** sizeof(struct inflate_state) is 87 368 bytes in 2.30 (tables and a 64 KB history); room to spare. */
    private static final int STATE_BYTES = 128 * 1024;
    /** Compressed bytes handed over at once, and decompressed bytes taken back at once. */
    static final int INPUT_BYTES = 64 * 1024;
    private static final int OUTPUT_BYTES = 256 * 1024;

    /** Streams' native memory, reused; declared before {@link #LIBRARY}, whose check gives its memory back here. */
    private static final ConcurrentLinkedDeque<Buffers> IDLE = new ConcurrentLinkedDeque<>();

    private static final Library LIBRARY = inflatesRight(SystemLibrary.load(Library.class, "isal", "imagery.isa-l",
            "PNG inflate with ISA-L", "PNGs are inflated by zlib, which takes about twice the CPU"));

    private IsalInflate() {
    }

    /**
     * The library, if a sample deflated by the JDK's zlib comes back the same through it, fed and emptied in uneven
     * pieces so that matches reach back across calls.
     */
    private static Library inflatesRight(Library library) {
        if (library == null) {
            return null;
        }
        byte[] sample = new byte[3 * OUTPUT_BYTES + 12_345];
        for (int i = 1; i < sample.length; i++) {
            sample[i] = (byte) (sample[i - 1] + (i * 7919 >>> 11) % 5 - 2);
        }
        Deflater deflater = new Deflater(6, true);
        byte[] deflated = new byte[sample.length + 1024];
        deflater.setInput(sample);
        deflater.finish();
        int length = deflater.deflate(deflated);
        deflater.end();
        byte[] inflated = new byte[sample.length];
        try (Stream stream = new Stream(new Buffers(library))) {
            int in = 0;
            int out = 0;
            while (out < inflated.length) {
                int n = stream.inflate(inflated, out, Math.min(inflated.length - out, 100_003));
                out += n;
                if (n == 0) {
                    // Nothing more from what it has taken in: the next piece of input.
                    int k = Math.min(length - in, 7_001);
                    if (k == 0 || !stream.needsInput()) {
                        break;
                    }
                    stream.setInput(deflated, in, k);
                    in += k;
                }
            }
            if (out == inflated.length && Arrays.equals(sample, inflated)) {
                return library;
            }
        } catch (RuntimeException | DataFormatException e) {
            log.warn("libisal failed its inflate check ({}): PNGs are inflated by zlib", e.toString());
            return null;
        }
        log.warn("libisal failed its inflate check (a sample did not come back): PNGs are inflated by zlib");
        return null;
    }

    static boolean available() {
        return LIBRARY != null;
    }

    /** A new raw deflate stream; close it to give its memory back. */
    static Stream open() {
        Buffers buffers = IDLE.pollFirst();
        return new Stream(buffers != null ? buffers : new Buffers(LIBRARY));
    }

    /** One raw deflate stream, used as a {@link java.util.zip.Inflater} is: input given, output taken, in pieces. */
    static final class Stream implements AutoCloseable {
        private final Buffers buffers;

        private Stream(Buffers buffers) {
            this.buffers = buffers;
            buffers.library.isal_inflate_init(buffers.state);
            buffers.state.putInt(AVAIL_IN, 0);
        }

        /**
         * True when all input given has been taken in. The library may still hold output from it: ask for input only
         * once {@link #inflate} gives nothing.
         */
        boolean needsInput() {
            return buffers.state.getInt(AVAIL_IN) == 0;
        }

        /** Copies the next compressed bytes in: at most {@link #INPUT_BYTES}, and only once the last are taken. */
        void setInput(byte[] b, int off, int len) {
            if (len > INPUT_BYTES || !needsInput()) {
                throw new IllegalStateException("input given before the last was taken in, or too much: " + len);
            }
            buffers.input.put(0, b, off, len);
            buffers.state.putAddress(NEXT_IN, buffers.inputAddress);
            buffers.state.putInt(AVAIL_IN, len);
        }

        /**
         * Inflates into {@code out}: returns the bytes written, 0 when more input is needed or the stream has ended.
         *
         * @throws DataFormatException if the data is not deflate
         */
        int inflate(byte[] out, int off, int len) throws DataFormatException {
            int written = 0;
            while (written < len) {
                int space = Math.min(len - written, OUTPUT_BYTES);
                Pointer state = buffers.state;
                state.putAddress(NEXT_OUT, buffers.output.address());
                state.putInt(AVAIL_OUT, space);
                int result = buffers.library.isal_inflate(state);
                if (result < 0) {
                    throw new DataFormatException("isal_inflate: " + result);
                }
                int n = space - state.getInt(AVAIL_OUT);
                buffers.output.get(0, out, off + written, n);
                written += n;
                if (n < space) {
                    break; // the input ran out, or the stream ended
                }
            }
            return written;
        }

        @Override
        public void close() {
            IDLE.offerFirst(buffers);
        }
    }

    /** One stream's native memory: the state, a piece of input and a piece of output. */
    private static final class Buffers {
        private final Library library;
        private final Pointer state;
        private final ByteBuffer input = ByteBuffer.allocateDirect(INPUT_BYTES);
        private final long inputAddress;
        private final Pointer output;

        Buffers(Library library) {
            this.library = library;
            Runtime runtime = Runtime.getRuntime(library);
            this.state = Memory.allocateDirect(runtime, STATE_BYTES);
            this.inputAddress = Pointer.wrap(runtime, input).address();
            this.output = Memory.allocateDirect(runtime, OUTPUT_BYTES);
        }
    }
}
