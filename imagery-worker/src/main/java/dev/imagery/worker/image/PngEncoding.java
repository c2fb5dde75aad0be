package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.Checksum;
import java.util.zip.Deflater;

/**
 * PNG bytes of an image, all through {@link PngWriter} (straight from the raster's bytes, row filter and
 * deflate strategy configurable, strips deflated on all cores for the full-size image; thumbnails on the
 * calling thread). Measured trade-offs of level, filter and strategy: docs/PERFORMANCE.md.
 */
final class PngEncoding {

    static final int THUMBNAIL_LEVEL = 2;

    private PngEncoding() {
    }

    /**
     * The full-size image (a {@link StandardImage}). Returns the PNG in pieces, which are stored as they are
     * ({@link Chunks#open()}): a large PNG is never copied into one array.
     */
    static Chunks encode(BufferedImage image, SepiaSettings settings) {
        return start(image, ExifOrientation.NORMAL, null, settings).finish();
    }

    /**
     * Starts {@link #encode}: in parallel mode the strips compress while the caller goes on (see PngWriter). With a
     * {@code palette}, the image is grey ({@link SepiaPalette#of}), not yet filtered, and its PNG is the palette one
     * of its sepia. With a quarter turn ({@code orientation} 5-8, else {@link ExifOrientation#NORMAL}) the PNG is
     * of the image so turned.
     */
    static PngWriter.Pending start(BufferedImage image, int orientation, SepiaPalette palette, SepiaSettings settings) {
        return start(image, orientation, palette, settings.pngCompressionLevel(), settings.pngFilter(),
                settings.deflateStrategy(), settings.parallelPngCompression());
    }

    /**
     * A thumbnail (small, of imgscalr's int types): made standard, then deflated at level 2 with the AUTO filter
     * (level 6 saves 0-8 % for 3-7 times the time). Against pngencoder with its adaptive filters at the same level
     * (session 8): 9 against 14 ms for the 8.0 MP photo's thumbnail, 8 against 13 for the 1.3 MP one's. With
     * {@code unfiltered}, the thumbnail of a grey image, whose filter is its PNG's palette: filtered here first.
     * Turned as {@link #start} turns.
     */
    static byte[] encodeThumbnail(BufferedImage thumbnail, int orientation, boolean unfiltered) {
        BufferedImage standard = StandardImage.of(thumbnail, StandardImage::create);
        if (unfiltered) {
            SepiaFilter.apply(standard);
        }
        return start(standard, orientation, null, THUMBNAIL_LEVEL, SepiaSettings.PngFilter.AUTO,
                SepiaSettings.DeflateStrategy.DEFAULT, false).finish().toByteArray();
    }

    private static PngWriter.Pending start(BufferedImage standard, int orientation, SepiaPalette palette, int level,
            SepiaSettings.PngFilter filter, SepiaSettings.DeflateStrategy strategy, boolean parallel) {
        byte[] pixels = ((DataBufferByte) standard.getRaster().getDataBuffer()).getData();
        return PngWriter.start(pixels, standard.getWidth(), standard.getHeight(), standard.getRaster().getNumBands(),
                orientation, palette, level, filter, strategy, parallel);
    }

    /**
     * Collects output in pieces of 256 KiB (or a size of the caller's), read back in place ({@link #open()})
     * or, for small PNGs, joined once into an exact-size array: never the doubling and copying of a
     * {@code ByteArrayOutputStream}. Pieces stay under half of G1's smallest region, so they are not
     * "humongous" objects, which each take whole regions and fragment a small heap. zlib can deflate straight
     * into the pieces ({@link #deflate}), and other Chunks can be appended without a copy ({@link #append}).
     */
    static final class Chunks extends OutputStream {
        private static final int PIECE = 256 * 1024;
        private static final byte[] NONE = new byte[0];

        private record Piece(byte[] bytes, int offset, int length) {
        }

        private final int pieceSize;
        private final List<Piece> full = new ArrayList<>();
        /** Written from {@code start} to {@code position}; what is before {@code start} is already in {@link #full}. */
        private byte[] current;
        private int start;
        private int position;
        private long size;

        /** Pieces of 256 KiB after a first one of 64 KiB (most thumbnails fit that). */
        Chunks() {
            this(PIECE, new byte[64 * 1024]);
        }

        /** Pieces of {@code pieceSize}, the first one allocated by the first write. */
        Chunks(int pieceSize) {
            this(pieceSize, NONE);
        }

        private Chunks(int pieceSize, byte[] first) {
            this.pieceSize = pieceSize;
            this.current = first;
        }

        @Override
        public void write(int b) {
            if (position == current.length) {
                next();
            }
            current[position++] = (byte) b;
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            while (len > 0) {
                if (position == current.length) {
                    next();
                }
                int n = Math.min(len, current.length - position);
                System.arraycopy(b, off, current, position, n);
                position += n;
                off += n;
                len -= n;
                size += n;
            }
        }

        /**
         * One deflate call whose output lands in the free end of the last piece: no copy out of a buffer.
         *
         * @return true if zlib filled the space it was given, so more output may be pending
         */
        boolean deflate(Deflater deflater, int flush) {
            if (position == current.length) {
                next();
            }
            int space = current.length - position;
            int n = deflater.deflate(current, position, space, flush);
            position += n;
            size += n;
            return n == space;
        }

        /** Appends the bytes of {@code other}, which must not change any more, by reference. */
        void append(Chunks other) {
            seal(); // later writes go on in the rest of the current piece, after other's
            full.addAll(other.full);
            if (other.position > other.start) {
                full.add(new Piece(other.current, other.start, other.position - other.start));
            }
            size += other.size;
        }

        /** Adds all bytes written so far to {@code checksum}. */
        void updateChecksum(Checksum checksum) {
            full.forEach(piece -> checksum.update(piece.bytes, piece.offset, piece.length));
            checksum.update(current, start, position - start);
        }

        private void next() {
            seal();
            current = new byte[pieceSize];
            start = 0;
            position = 0;
        }

        private void seal() {
            if (position > start) {
                full.add(new Piece(current, start, position - start));
                start = position;
            }
        }

        long size() {
            return size;
        }

        /** The bytes written, read in place (no copy). */
        InputStream open() {
            List<InputStream> parts = new ArrayList<>();
            full.forEach(piece -> parts.add(new ByteArrayInputStream(piece.bytes, piece.offset, piece.length)));
            parts.add(new ByteArrayInputStream(current, start, position - start));
            return new SequenceInputStream(Collections.enumeration(parts));
        }

        byte[] toByteArray() {
            if (size > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("PNG larger than 2 GB");
            }
            byte[] all = new byte[(int) size];
            int at = 0;
            for (Piece piece : full) {
                System.arraycopy(piece.bytes, piece.offset, all, at, piece.length);
                at += piece.length;
            }
            System.arraycopy(current, start, all, at, position - start);
            return all;
        }
    }
}
