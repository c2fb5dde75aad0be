package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IsalInflateTest {

    @BeforeAll
    static void isaLInstalled() {
        // .ci/run installs it (Debian's libisal2); without it PNGs are inflated by zlib (the png-with-zlib tests).
        assumeTrue(SystemLibrary.load(IsalInflate.Library.class, "isal", "imagery.isa-l", "libisal found",
                "IsalInflateTest skipped") != null, "libisal is not installed (apt-get install libisal2)");
        assertThat(IsalInflate.available()).as("the installed libisal passes the worker's own check").isTrue();
    }

    @Test
    void inflatesWhatZlibDeflatedWhateverPiecesItIsFedAndEmptiedIn() throws Exception {
        Random random = new Random(5);
        byte[] data = new byte[400_000];
        for (int i = 1; i < data.length; i++) {
            // Rows of a photo: small steps, with runs that deflate into matches reaching far back.
            data[i] = i > 5_000 && i % 5_000 < 1_000 ? data[i - 1_000] : (byte) (data[i - 1] + random.nextInt(5) - 2);
        }
        for (int level : new int[] {0, 1, 6, 9}) {
            byte[] deflated = deflated(data, level);
            for (int[] pieces : new int[][] {{1, 1}, {IsalInflate.INPUT_BYTES, 1 << 20}, {333, 4_099}}) {
                assertThat(inflate(deflated, pieces[0], pieces[1], data.length))
                        .as("level %d, %d bytes in and %d out at a time", level, pieces[0], pieces[1]).isEqualTo(data);
            }
        }
    }

    @Test
    void stopsAtTheEndOfTheStreamAndRejectsWhatIsNotDeflate() throws Exception {
        byte[] data = new byte[10_000];
        byte[] deflated = deflated(data, 6);
        try (IsalInflate.Stream stream = IsalInflate.open()) {
            stream.setInput(deflated, 0, deflated.length);
            byte[] out = new byte[data.length + 10];
            assertThat(stream.inflate(out, 0, out.length)).as("no more than the stream holds").isEqualTo(data.length);
            assertThat(stream.inflate(out, 0, out.length)).isZero();
        }
        byte[] invalid = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}; // block type 3 does not exist
        try (IsalInflate.Stream stream = IsalInflate.open()) {
            stream.setInput(invalid, 0, invalid.length);
            assertThatThrownBy(() -> stream.inflate(new byte[100], 0, 100)).isInstanceOf(DataFormatException.class);
        }
    }

    private static byte[] inflate(byte[] deflated, int in, int out, int length) throws DataFormatException {
        byte[] inflated = new byte[length];
        try (IsalInflate.Stream stream = IsalInflate.open()) {
            int read = 0;
            int written = 0;
            while (written < length) {
                int n = stream.inflate(inflated, written, Math.min(out, length - written));
                written += n;
                if (n == 0) {
                    // Output first: the library may still hold some from the input it has taken.
                    assertThat(stream.needsInput()).isTrue();
                    assertThat(read).as("input left").isLessThan(deflated.length);
                    int k = Math.min(in, deflated.length - read);
                    stream.setInput(deflated, read, k);
                    read += k;
                }
            }
        }
        return inflated;
    }

    private static byte[] deflated(byte[] data, int level) {
        Deflater deflater = new Deflater(level, true);
        deflater.setInput(data);
        deflater.finish();
        byte[] out = new byte[data.length + data.length / 100 + 1024];
        int n = deflater.deflate(out);
        assertThat(deflater.finished()).isTrue();
        deflater.end();
        return Arrays.copyOf(out, n);
    }
}
