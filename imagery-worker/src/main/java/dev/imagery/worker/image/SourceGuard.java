package dev.imagery.worker.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Remembers whether the source itself failed (a dropped S3 connection, a read timeout). Decoders
 * turn such errors into "corrupt image" exceptions of their own; without this we would mark a
 * perfectly good upload as failed for good instead of letting the message be retried.
 */
final class SourceGuard extends FilterInputStream {

    private IOException failure;

    SourceGuard(InputStream in) {
        super(in);
    }

    /** The source's own error, if reading it failed; null otherwise. */
    IOException failure() {
        return failure;
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException | RuntimeException e) {
            throw remember(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException | RuntimeException e) {
            throw remember(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException | RuntimeException e) {
            throw remember(e);
        }
    }

    private IOException remember(Exception e) {
        IOException io = e instanceof IOException ioe ? ioe : new IOException("Reading the upload failed", e);
        if (failure == null) {
            failure = io;
        }
        return io;
    }
}
