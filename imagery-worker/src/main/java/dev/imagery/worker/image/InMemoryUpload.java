package dev.imagery.worker.image;

import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An upload held whole in an array, read as an image stream. Unlike TwelveMonkeys' ByteArrayImageInputStream it
 * hands its array to the JPEG decoder ({@link PlainJpeg#readAll}), so a large photo is never copied.
 */
final class InMemoryUpload extends ImageInputStreamImpl {

    /** The longest array a JVM reliably allocates. */
    static final long MAX_LENGTH = Integer.MAX_VALUE - 8;

    private final byte[] bytes;

    InMemoryUpload(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The whole upload, wherever the stream is. */
    byte[] bytes() {
        return bytes;
    }

    @Override
    public int read() {
        bitOffset = 0;
        return streamPos < bytes.length ? bytes[(int) streamPos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        bitOffset = 0;
        if (streamPos >= bytes.length) {
            return length == 0 ? 0 : -1;
        }
        int n = (int) Math.min(length, bytes.length - streamPos);
        System.arraycopy(bytes, (int) streamPos, buffer, offset, n);
        streamPos += n;
        return n;
    }

    @Override
    public long length() {
        return bytes.length;
    }
}
