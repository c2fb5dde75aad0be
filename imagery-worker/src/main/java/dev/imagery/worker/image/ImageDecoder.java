package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;

/**
 * Pixels out of an upload: header first (size limit), then the first image. JPEG, WebP and TIFF go
 * through TwelveMonkeys (CMYK and lossless JPEG, JPEGs the JDK rejects, TIFFs with JPEG inside or a
 * palette), PNG, GIF and BMP through the JDK, unless a faster decoder takes them.
 *
 * <p>Plain JPEGs (see {@link PlainJpeg}), which is most photos, go to libjpeg-turbo instead where it is
 * installed ({@link TurboJpeg}), about twice as fast; without it, plain progressive ones still skip ImageIO,
 * which renders the whole image once per scan. Plain PNGs ({@link PlainPng}) and TIFFs ({@link PlainTiff}) skip
 * ImageIO too, and so do still WebPs where libwebp is installed ({@link LibWebp}).
 */
final class ImageDecoder {

    static {
        // ImageIO finds plugins through the class loader that first touches it; inside a Spring Boot
        // fat jar that is not the one holding BOOT-INF/lib. Registering by hand works everywhere.
        IIORegistry registry = IIORegistry.getDefaultInstance();
        register(registry, JPEGImageReaderSpi.class, new JPEGImageReaderSpi());
        register(registry, WebPImageReaderSpi.class, new WebPImageReaderSpi());
        register(registry, TIFFImageReaderSpi.class, new TIFFImageReaderSpi());
    }

    private static <T extends ImageReaderSpi> void register(IIORegistry registry, Class<T> type, T spi) {
        if (registry.getServiceProviderByClass(type) == null) {
            registry.registerServiceProvider(spi, ImageReaderSpi.class);
        }
    }

    private ImageDecoder() {
    }

    /** Where the decoder failed for reasons of its own (not of the input): see {@link SourceGuard}. */
    interface SourceFailure {
        IOException get();
    }

    /**
     * Called with the image's size from its header, before any pixel is decoded, and again with the decoded
     * size: the size limit (decompression bombs), and the wait for memory (see {@link PixelBudget}). Once
     * admitted, the fast decoders take their image from it.
     */
    interface Admission extends StandardImage.Allocator {
        void admit(long width, long height) throws UnprocessableImageException, InterruptedIOException;

        @Override
        default BufferedImage allocate(int width, int height, boolean alpha) {
            return StandardImage.create(width, height, alpha);
        }
    }

    /**
     * Decodes the first image of {@code in} (positioned at its start). Anything the decoder throws becomes
     * an {@link UnprocessableImageException}, unless the source itself failed: that is rethrown as is.
     */
    static BufferedImage decode(ImageInputStream in, ImageFormat format, Admission admission, SourceFailure source)
            throws UnprocessableImageException, IOException {
        boolean fastDecoder = format == ImageFormat.JPEG || format == ImageFormat.PNG || format == ImageFormat.TIFF
                || format == ImageFormat.WEBP && LibWebp.available();
        if (fastDecoder) {
            BufferedImage fast = withoutImageIo(in, format, admission, source);
            if (fast != null) {
                return fast;
            }
            in.seek(0);
        }
        ImageReader reader = newReader(format);
        List<String> warnings = new ArrayList<>();
        try {
            reader.setInput(in, true, false);
            reader.addIIOReadWarningListener((r, warning) -> warnings.add(warning));
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            admission.admit(width, height);
            BufferedImage image = reader.read(0);
            admission.admit(image.getWidth(), image.getHeight());
            if (format == ImageFormat.JPEG && isTruncatedJpeg(warnings)) {
                throw new UnprocessableImageException("truncated or corrupt image: the JPEG data ends early");
            }
            return image;
        } catch (InterruptedIOException shuttingDown) {
            throw shuttingDown;
        } catch (IOException | RuntimeException e) {
            IOException sourceFailure = source.get();
            if (sourceFailure != null) {
                throw sourceFailure;
            }
            throw new UnprocessableImageException(reasonFor(format, e), e);
        } finally {
            reader.dispose();
        }
    }

    /**
     * A plain JPEG, PNG, TIFF or WebP through a faster decoder than ImageIO's (see {@link PlainJpeg},
     * {@link PlainPng}, {@link PlainTiff}, {@link LibWebp}); null when the file is not one of those, or the decoder
     * gives up on it.
     */
    private static BufferedImage withoutImageIo(ImageInputStream in, ImageFormat format, Admission admission,
            SourceFailure source) throws UnprocessableImageException, IOException {
        try {
            return switch (format) {
                case PNG -> PlainPng.decode(in, admission);
                case TIFF -> PlainTiff.decode(in, admission);
                case WEBP -> LibWebp.decode(in, admission);
                default -> plainJpeg(in, admission);
            };
        } catch (InterruptedIOException shuttingDown) {
            throw shuttingDown;
        } catch (IOException e) {
            IOException sourceFailure = source.get();
            if (sourceFailure != null) {
                throw sourceFailure;
            }
            return null; // ImageIO will read it again and say what is wrong
        }
    }

    private static BufferedImage plainJpeg(ImageInputStream in, Admission admission)
            throws UnprocessableImageException, IOException {
        PlainJpeg.Header header = PlainJpeg.qualify(in);
        if (header == null || !(TurboJpeg.available() || header.decodableWithoutTurboJpeg())) {
            return null;
        }
        admission.admit(header.width(), header.height());
        byte[] jpeg = PlainJpeg.readAll(in);
        if (!PlainJpeg.endsWithEoi(jpeg)) {
            return null;
        }
        return header.inSrgb(TurboJpeg.available()
                ? TurboJpeg.decode(jpeg, header, admission) : PlainJpeg.decodeProgressive(jpeg, header));
    }

    static void checkSize(long width, long height, long maxPixels) throws UnprocessableImageException {
        if (width < 1 || height < 1) {
            throw new UnprocessableImageException("truncated or corrupt image: its size is " + width + "x" + height);
        }
        // long arithmetic: 65536 × 65536 overflows an int.
        if (width * height > maxPixels) {
            throw new UnprocessableImageException(String.format(Locale.ROOT,
                    "image too large: %dx%d pixels exceeds the limit of %,d pixels", width, height, maxPixels));
        }
    }

    private static String reasonFor(ImageFormat format, Exception e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (message.contains("unsupported") || message.contains("not supported")) {
            return "unsupported format: this kind of " + format.displayName + " cannot be read";
        }
        return "truncated or corrupt image";
    }

    /**
     * libjpeg does not fail on a cut-off file: it warns and fills the rest with grey. "Corrupt data"
     * alone is accepted (cameras write such files and every viewer shows them); running out of data
     * before the image is complete is not.
     */
    static boolean isTruncatedJpeg(List<String> warnings) {
        boolean endOfFile = false;
        boolean missingEoi = false;
        boolean segmentEndedEarly = false;
        for (String warning : warnings) {
            String w = warning.toLowerCase(Locale.ROOT);
            endOfFile |= w.contains("premature end of jpeg file");
            missingEoi |= w.contains("missing eoi");
            segmentEndedEarly |= w.contains("premature end of data segment");
        }
        return endOfFile || (missingEoi && segmentEndedEarly);
    }

    /** TwelveMonkeys' reader where there is one, else the JDK's. */
    private static ImageReader newReader(ImageFormat format) {
        ImageReader chosen = null;
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(format.imageIoName); it.hasNext(); ) {
            ImageReader candidate = it.next();
            if (chosen == null || candidate.getClass().getName().startsWith("com.twelvemonkeys.")
                    && !chosen.getClass().getName().startsWith("com.twelvemonkeys.")) {
                if (chosen != null) {
                    chosen.dispose();
                }
                chosen = candidate;
            } else {
                candidate.dispose();
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("No ImageIO reader for " + format.imageIoName);
        }
        return chosen;
    }
}
