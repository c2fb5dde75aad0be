package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import org.junit.jupiter.api.Test;

class PngEncodingChunksTest {

    @Test
    void writtenAppendedAndDeflatedBytesReadBackInOrderWithTheirChecksum() throws Exception {
        Random random = new Random(7);
        byte[] head = new byte[70_000]; // more than the first piece
        byte[] tail = new byte[13];
        byte[] raw = new byte[300_000];
        random.nextBytes(head);
        random.nextBytes(tail);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i % 251 < 200 ? i % 7 : random.nextInt()); // partly compressible
        }

        // Deflated straight into small pieces, as a PNG strip is.
        PngEncoding.Chunks deflated = new PngEncoding.Chunks(4096);
        Deflater deflater = new Deflater(1, true);
        deflater.setInput(raw);
        deflater.finish();
        while (!deflater.finished()) {
            deflated.deflate(deflater, Deflater.NO_FLUSH);
        }
        deflater.end();

        PngEncoding.Chunks out = new PngEncoding.Chunks();
        out.write(head, 0, head.length);
        out.append(deflated);
        out.write(tail, 0, tail.length);

        byte[] expected = concat(head, deflated.toByteArray(), tail);
        assertThat(out.size()).isEqualTo(expected.length);
        assertThat(out.toByteArray()).isEqualTo(expected);
        try (InputStream in = out.open()) {
            assertThat(in.readAllBytes()).isEqualTo(expected);
        }
        CRC32 pieces = new CRC32();
        out.updateChecksum(pieces);
        CRC32 whole = new CRC32();
        whole.update(expected);
        assertThat(pieces.getValue()).isEqualTo(whole.getValue());
        assertThat(inflate(deflated.toByteArray(), raw.length)).isEqualTo(raw);
    }

    private static byte[] concat(byte[]... parts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.write(part);
        }
        return all.toByteArray();
    }

    private static byte[] inflate(byte[] compressed, int length) throws Exception {
        Inflater inflater = new Inflater(true);
        inflater.setInput(compressed);
        byte[] out = new byte[length];
        int n = 0;
        while (n < length && !inflater.finished()) {
            n += inflater.inflate(out, n, length - n);
        }
        inflater.end();
        return out;
    }
}
