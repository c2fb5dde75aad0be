package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

import com.twelvemonkeys.imageio.stream.BufferedFileImageInputStream;

/**
 * Turns an upload into a sepia PNG and a PNG thumbnail: decode (size checked on the header first),
 * EXIF orientation, 8-bit sRGB, sepia in place, thumbnail, encode. Thread-safe; one call holds one
 * image's pixels (3 bytes a pixel, 4 with alpha, plus the PNG; a quarter turn is written, not made, so a
 * portrait photo takes no second raster), and calls share a {@link PixelBudget},
 * so the heap bounds how many large images are decoded at once; the budget also hands one image's raster
 * on to the next.
 *
 * <p>Errors: {@link UnprocessableImageException} means the input can never succeed (its message is
 * for the user); {@link IOException} means reading the source failed and a retry may succeed.
 */
public final class SepiaProcessor {

    private static final String SUPPORTED = "JPEG, PNG, GIF, BMP, WebP or TIFF";
    /**
     * An upload of known length is read into one array: at most a quarter of the heap (52 MB with -Xmx208m, above
     * the API's default limit of 50 MB), so that a larger one fails as too large instead of running out of memory.
     */
    private static final long MAX_UPLOAD_BYTES = Math.min(InMemoryUpload.MAX_LENGTH, Runtime.getRuntime().maxMemory() / 4);

    private final SepiaSettings settings;
    private final PixelBudget budget;
    private final long maxPixels;

    public SepiaProcessor() {
        this(SepiaSettings.defaults());
    }

    public SepiaProcessor(SepiaSettings settings) {
        this(settings, PixelBudget.forHeap());
    }

    public SepiaProcessor(SepiaSettings settings, PixelBudget budget) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.budget = Objects.requireNonNull(budget, "budget");
        this.maxPixels = Math.min(settings.maxPixels(), PixelBudget.largestImageForHeap());
    }

    public SepiaSettings settings() {
        return settings;
    }

    /** The largest image taken: the settings' limit, or less where the heap could not hold such an image. */
    public long maxPixels() {
        return maxPixels;
    }

    /**
     * Processes an upload read from a stream (an S3 object, say); the stream is read once, not closed.
     * The compressed bytes are held in memory while decoding: small next to the pixels.
     *
     * @throws IOException if the stream itself fails, so the work can be retried
     */
    public SepiaImage process(InputStream raw) throws UnprocessableImageException, IOException {
        SourceGuard guard = new SourceGuard(Objects.requireNonNull(raw, "raw"));
        try (ImageInputStream in = new MemoryCacheImageInputStream(guard)) {
            return process(in, guard::failure);
        }
    }

    /**
     * Processes an upload of known length (an S3 object): read into one array of that size, which the JPEG
     * decoder takes as it is and which is garbage as soon as the image is decoded. Through a stream cache and a
     * growing buffer, a 16 MB photo left three copies (up to 32 MB at once) that outlived young collections and
     * filled the old generation. An upload over a quarter of the heap is unprocessable: its array would crowd out
     * its own pixels.
     *
     * @param length the upload's size in bytes; negative if unknown (then as {@link #process(InputStream)})
     * @throws IOException if the stream fails or ends before {@code length} bytes, so the work can be retried
     */
    public SepiaImage process(InputStream raw, long length) throws UnprocessableImageException, IOException {
        if (length < 0) {
            return process(raw);
        }
        try (Admission admission = new Admission(true)) {
            return sepia(decode(readFully(raw, length), admission));
        }
    }

    /**
     * Processes an upload spooled to a file: random access, no copy of the file in memory.
     *
     * @throws IOException if the file cannot be read
     */
    public SepiaImage process(Path file) throws UnprocessableImageException, IOException {
        try (ImageInputStream in = new BufferedFileImageInputStream(file.toFile())) {
            return process(in, () -> null);
        }
    }

    private SepiaImage process(ImageInputStream in, ImageDecoder.SourceFailure source)
            throws UnprocessableImageException, IOException {
        try (Admission admission = new Admission(true)) {
            return sepia(decode(in, source, admission));
        }
    }

    /**
     * Sepia in place, then the PNG and the thumbnail, both turned as they are written where the image still needs
     * its quarter turn. A grey image stays grey: its PNG is a palette one, the sepia of each grey level, its clear
     * levels clear ({@link SepiaPalette}), and its thumbnail is filtered alone.
     */
    private SepiaImage sepia(Decoded decoded) {
        BufferedImage image = decoded.pixels();
        int turn = decoded.quarterTurn();
        SepiaPalette palette = SepiaFilter.applyUnlessGrey(image, settings.parallelPngCompression());
        boolean swapped = ExifOrientation.swapsAxes(turn);
        int width = swapped ? image.getHeight() : image.getWidth();
        int height = swapped ? image.getWidth() : image.getHeight();
        // The full-size PNG compresses on the pool while this thread makes the thumbnail: both only read pixels.
        PngWriter.Pending pending = PngEncoding.start(image, turn, palette, settings);
        byte[] thumbnail;
        try {
            BufferedImage small = Thumbnails.of(image, settings.thumbnailMaxSide());
            // An image already within the thumbnail size is its own thumbnail.
            thumbnail = small == image ? null : PngEncoding.encodeThumbnail(small, turn, palette != null);
        } catch (RuntimeException | Error e) {
            pending.cancel();
            throw e;
        }
        return new SepiaImage(pending.finish(), thumbnail, width, height);
    }

    /** Decoded, upright, standard (8-bit sRGB interleaved) pixels of the upload (the benchmarks' decode phase). */
    BufferedImage decodeUpright(ImageInputStream in, ImageDecoder.SourceFailure source)
            throws UnprocessableImageException, IOException {
        // The image outlives the admission here, so its raster must not go back to the budget's spares.
        try (Admission admission = new Admission(false)) {
            Decoded decoded = decode(in, source, admission);
            return ExifOrientation.apply(decoded.pixels(), decoded.quarterTurn(), admission);
        }
    }

    private Decoded decode(byte[] upload, Admission admission) throws UnprocessableImageException, IOException {
        try (ImageInputStream in = new InMemoryUpload(upload)) {
            return decode(in, () -> null, admission);
        }
    }

    private static byte[] readFully(InputStream raw, long length) throws UnprocessableImageException, IOException {
        if (length > MAX_UPLOAD_BYTES) {
            throw new UnprocessableImageException(String.format(Locale.ROOT,
                    "file too large: %,d bytes exceeds the limit of %,d bytes", length, MAX_UPLOAD_BYTES));
        }
        byte[] upload = new byte[(int) length];
        int read = raw.readNBytes(upload, 0, upload.length);
        if (read < upload.length) {
            throw new EOFException("The upload ended after " + read + " of its " + length + " bytes");
        }
        return upload;
    }

    /**
     * Standard (8-bit sRGB interleaved) pixels, flipped or half-turned upright in place; a quarter turn would need a
     * second raster as large as the first (width and height swap), so it is left to the writing of the PNG.
     */
    private Decoded decode(ImageInputStream in, ImageDecoder.SourceFailure source, ImageDecoder.Admission admission)
            throws UnprocessableImageException, IOException {
        ImageFormat format = sniff(in, source);
        int orientation = switch (format) {
            case JPEG -> ExifOrientation.readJpeg(in);
            case TIFF -> ExifOrientation.readTiff(in);
            default -> ExifOrientation.NORMAL;
        };
        in.seek(0);
        BufferedImage decoded = ImageDecoder.decode(in, format, admission, source);
        BufferedImage standard;
        try {
            standard = StandardImage.of(decoded, admission);
        } catch (RuntimeException e) {
            // Broken ICC profiles and exotic colour models fail here, in the colour conversion.
            throw new UnprocessableImageException("unsupported format: its colour data cannot be converted", e);
        }
        int quarterTurn = ExifOrientation.swapsAxes(orientation) ? orientation : ExifOrientation.NORMAL;
        BufferedImage pixels = quarterTurn == ExifOrientation.NORMAL
                ? ExifOrientation.apply(standard, orientation, admission) : standard;
        return new Decoded(StandardImage.withoutOpaqueAlpha(pixels), quarterTurn);
    }

    /**
     * Decoded pixels, and the quarter turn (EXIF orientation 5-8) still to give them, or {@link ExifOrientation#NORMAL}.
     */
    private record Decoded(BufferedImage pixels, int quarterTurn) {
    }

    private static ImageFormat sniff(ImageInputStream in, ImageDecoder.SourceFailure source)
            throws UnprocessableImageException, IOException {
        byte[] head = new byte[ImageFormat.SNIFF_LENGTH];
        int length = 0;
        try {
            int n;
            while (length < head.length && (n = in.read(head, length, head.length - length)) > 0) {
                length += n;
            }
            in.seek(0);
        } catch (IOException e) {
            IOException failure = source.get();
            throw failure != null ? failure : e;
        }
        if (length == 0) {
            throw new UnprocessableImageException("not an image: the file is empty");
        }
        ImageFormat format = ImageFormat.sniff(head, length);
        if (format == ImageFormat.UNKNOWN) {
            throw new UnprocessableImageException("not an image (supported: " + SUPPORTED + ")");
        }
        if (!format.decodable()) {
            throw new UnprocessableImageException(
                    "unsupported format: " + format.displayName + " (supported: " + SUPPORTED + ")");
        }
        return format;
    }

    /** One image's way in: the size limit, then its share of the budget, held until the image is done. */
    private final class Admission implements ImageDecoder.Admission, AutoCloseable {

        private final boolean recycling;
        private PixelBudget.Lease lease;

        Admission(boolean recycling) {
            this.recycling = recycling;
        }

        @Override
        public void admit(long width, long height) throws UnprocessableImageException, InterruptedIOException {
            ImageDecoder.checkSize(width, height, maxPixels);
            if (lease == null) {
                try {
                    lease = budget.acquire(width, height);
                } catch (InterruptedException e) {
                    // The worker is stopping: not the image's fault, so the message must be retried, not failed.
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("Stopped while waiting for memory to decode the image");
                }
            }
        }

        /** The image's pixels, over a finished image's raster where one fits (see {@link PixelBudget}). */
        @Override
        public BufferedImage allocate(int width, int height, boolean alpha) {
            return recycling && lease != null ? lease.allocate(width, height, alpha)
                    : StandardImage.create(width, height, alpha);
        }

        @Override
        public void close() {
            if (lease != null) {
                lease.close();
            }
        }
    }
}
