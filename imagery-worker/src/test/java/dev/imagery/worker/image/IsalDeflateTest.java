package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IsalDeflateTest {

    @BeforeAll
    static void isaLInstalled() {
        // .ci/run installs it (Debian's libisal2); without it the worker deflates with zlib.
        assumeTrue(installed(), "libisal is not installed (apt-get install libisal2)");
        assertThat(IsalDeflate.available()).as("the installed libisal passes the worker's own check").isTrue();
    }

    /** Bound as the worker binds it, without the worker's check, which the test asserts on its own. */
    private static boolean installed() {
        return SystemLibrary.load(IsalDeflate.Library.class, "isal", "imagery.isa-l", "libisal found",
                "IsalDeflateTest skipped") != null;
    }

    @Test
    void stripsLaidEndToEndInflateToTheirInputAtEveryLevel() throws Exception {
        Random random = new Random(3);
        // Rows like a photograph's (small steps), noise that does not compress at all, a long run; strips of whole
        // segments and of parts of them, the image ending on either.
        byte[][] endsOnAPart = {smooth(random, 700_000), noise(random, 300_000), new byte[1 << 20],
            smooth(random, 3 * IsalDeflate.SEGMENT), smooth(random, 5)};
        byte[][] endsOnWholeSegments = {smooth(random, 5), noise(random, IsalDeflate.SEGMENT + 1),
            smooth(random, 2 * IsalDeflate.SEGMENT)};
        for (byte[][] strips : List.of(endsOnAPart, endsOnWholeSegments)) {
            for (int level = 1; level <= IsalDeflate.MAX_LEVEL; level++) {
                PngEncoding.Chunks out = new PngEncoding.Chunks(64 * 1024);
                ByteArrayOutputStream raw = new ByteArrayOutputStream();
                for (int i = 0; i < strips.length; i++) {
                    try (IsalDeflate.Input input = IsalDeflate.input(level, out)) {
                        // In pieces, as PngWriter writes its batches of rows.
                        for (int at = 0; at < strips[i].length; at += 65_000) {
                            input.write(strips[i], at, Math.min(65_000, strips[i].length - at));
                        }
                        input.finish(i == strips.length - 1);
                    }
                    raw.write(strips[i]);
                }
                assertThat(inflate(out.toByteArray())).as("level %d", level).isEqualTo(raw.toByteArray());
            }
        }
    }

    @Test
    void photographLikeRowsComeOutSmallerThanTheirInputAndIncompressibleOnesBarelyLarger() {
        Random random = new Random(4);
        byte[] smooth = smooth(random, 1 << 20);
        byte[] noise = noise(random, 1 << 20);
        try (IsalDeflate.Input a = IsalDeflate.input(1, new PngEncoding.Chunks());
                IsalDeflate.Input b = IsalDeflate.input(1, new PngEncoding.Chunks())) {
            a.write(smooth, 0, smooth.length);
            b.write(noise, 0, noise.length);
            assertThat(a.deflatedSize()).isLessThan(smooth.length / 2);
            assertThat(b.deflatedSize()).isBetween((long) noise.length, noise.length + noise.length / 100L);
        }
    }

    private static byte[] inflate(byte[] deflated) throws DataFormatException, IOException {
        Inflater inflater = new Inflater(true);
        inflater.setInput(deflated);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                throw new IOException("the stream ended without its final block");
            }
            out.write(buffer, 0, n);
        }
        assertThat(inflater.getRemaining()).as("nothing after the final block").isZero();
        inflater.end();
        return out.toByteArray();
    }

    private static byte[] smooth(Random random, int length) {
        byte[] b = new byte[length];
        for (int i = 1; i < length; i++) {
            b[i] = (byte) (b[i - 1] + random.nextInt(3) - 1);
        }
        return b;
    }

    private static byte[] noise(Random random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
