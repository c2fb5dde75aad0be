package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import com.pngencoder.PngEncoder;
import com.twelvemonkeys.imageio.stream.BufferedFileImageInputStream;

import dev.imagery.test.corpus.Corpus;

/**
 * Warm, in-process timing of the pipeline's stages on the corpus photos (not a test: run by hand).
 * <pre>
 * ./mvnw -o -q -pl imagery-worker test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx1g -cp "imagery-worker/target/classes:imagery-worker/target/test-classes:$(cat imagery-worker/target/cp.txt)" \
 *     [-Dlevel=1] [-Dparallel=true] dev.imagery.worker.image.SepiaBenchmark [pipeline|encoders] [runs]
 * </pre>
 * Times are medians in ms after two warm-up runs; "total" is {@link SepiaProcessor#process(Path)} end to
 * end, "total_cpu" the CPU time of the calling thread in it (without pngencoder's deflate threads).
 */
public final class SepiaBenchmark {

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private static final String[] PHOTOS = {
            "small_1.3MP_GreenMeadow_progressive.jpg", "medium_4.1MP_LadyBird.jpg",
            "large_8.0MP_iphone_hdr_NO.jpg", "xlarge_17.9MP_Elephants.jpg"};

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "pipeline";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path photos = Corpus.root().resolve("photos");
        System.out.printf(Locale.ROOT, "cores=%d maxHeap=%d MB%n", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        if (mode.equals("encoders")) {
            encoders(photos, runs);
        } else {
            pipeline(photos, runs);
        }
        // Peak resident size of the whole JVM (heap, JIT, libjpeg's buffers...), Linux only.
        Path status = Path.of("/proc/self/status");
        if (Files.exists(status)) {
            Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM")).forEach(System.out::println);
        }
    }

    private static void pipeline(Path photos, int runs) throws Exception {
        SepiaSettings d = SepiaSettings.defaults();
        SepiaSettings s = new SepiaSettings(d.maxPixels(), d.thumbnailMaxSide(),
                Integer.getInteger("level", d.pngCompressionLevel()),
                Boolean.parseBoolean(System.getProperty("parallel", String.valueOf(d.parallelPngCompression()))));
        SepiaProcessor processor = new SepiaProcessor(s);
        System.out.println(s);
        System.out.println("image\tMP\tdecode+orient\tsepia\tthumbnail\tencode\ttotal\ttotal_cpu\tpng_bytes\tthumb_bytes\tpeak_heap_MB");
        for (String name : PHOTOS) {
            Path file = photos.resolve(name);
            for (int i = 0; i < 2; i++) {
                processor.process(file); // warm-up
            }
            long[][] t = new long[6][runs];
            int pngBytes = 0;
            int thumbBytes = 0;
            int w = 0;
            int h = 0;
            long peak = 0;
            for (int r = 0; r < runs; r++) {
                System.gc();
                resetPeak();
                long t0 = System.nanoTime();
                BufferedImage image;
                try (ImageInputStream in = new BufferedFileImageInputStream(file.toFile())) {
                    image = processor.decodeUpright(in, () -> null);
                }
                long t1 = System.nanoTime();
                SepiaFilter.apply(image);
                long t2 = System.nanoTime();
                byte[] thumb = PngEncoding.encodeThumbnail(Thumbnails.of(image, s.thumbnailMaxSide()));
                long t3 = System.nanoTime();
                byte[] png = PngEncoding.encode(image, s.pngCompressionLevel(), s.parallelPngCompression()).toByteArray();
                long t4 = System.nanoTime();
                peak = Math.max(peak, peakHeapMb());
                w = image.getWidth();
                h = image.getHeight();
                image = null;
                long c0 = THREADS.getCurrentThreadCpuTime();
                SepiaImage result = processor.process(file);
                long t5 = System.nanoTime();
                t[5][r] = THREADS.getCurrentThreadCpuTime() - c0;
                t[0][r] = t1 - t0;
                t[1][r] = t2 - t1;
                t[2][r] = t3 - t2;
                t[3][r] = t4 - t3;
                t[4][r] = t5 - t4;
                pngBytes = png.length;
                thumbBytes = result.thumbnailPng().length;
            }
            System.out.printf(Locale.ROOT, "%s\t%.1f\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d%n", name, w * (double) h / 1e6,
                    median(t[0]), median(t[1]), median(t[2]), median(t[3]), median(t[4]), median(t[5]), pngBytes,
                    thumbBytes, peak);
        }
    }

    /** Full-size PNG encoders on the sepia image: time and size. */
    private static void encoders(Path photos, int runs) throws Exception {
        System.out.println("image\tencoder\tms\tbytes");
        for (String name : PHOTOS) {
            BufferedImage image;
            try (ImageInputStream in = new BufferedFileImageInputStream(photos.resolve(name).toFile())) {
                image = new SepiaProcessor().decodeUpright(in, () -> null);
            }
            SepiaFilter.apply(image);
            List<Object[]> candidates = new ArrayList<>();
            for (int level : new int[] {1, 2, 3, 4, 6, 9}) {
                for (boolean predictor : new boolean[] {false, true}) {
                    for (boolean parallel : new boolean[] {true, false}) {
                        if (!parallel && level != 4 && level != 6) {
                            continue;
                        }
                        candidates.add(new Object[] {"pngencoder L" + level + (predictor ? " predictor" : "")
                                + (parallel ? " parallel" : " 1-thread"), level, predictor, parallel});
                    }
                }
            }
            candidates.add(new Object[] {"ImageIO default", -1, false, false});
            candidates.add(new Object[] {"ImageIO L1 (quality 1.0)", -2, false, false});
            for (Object[] c : candidates) {
                String label = (String) c[0];
                int level = (Integer) c[1];
                boolean predictor = (Boolean) c[2];
                boolean parallel = (Boolean) c[3];
                int n = label.startsWith("ImageIO") ? Math.min(runs, 2) : runs;
                long[] times = new long[n];
                int size = 0;
                for (int r = -1; r < n; r++) {
                    long t0 = System.nanoTime();
                    byte[] out = level < 0 ? imageIo(image, level == -2)
                            : new PngEncoder().withBufferedImage(image).withCompressionLevel(level)
                                    .withPredictorEncoding(predictor).withMultiThreadedCompressionEnabled(parallel)
                                    .toBytes();
                    if (r >= 0) {
                        times[r] = System.nanoTime() - t0;
                    }
                    size = out.length;
                }
                System.out.printf(Locale.ROOT, "%s\t%s\t%d\t%d%n", name, label, median(times), size);
            }
        }
    }

    private static byte[] imageIo(BufferedImage image, boolean fastest) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (fastest) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(1.0f);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static long median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1_000_000;
    }

    private static void resetPeak() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(p -> p.resetPeakUsage());
    }

    private static long peakHeapMb() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
    }

    private SepiaBenchmark() {
    }

    static {
        if (!Files.isDirectory(Corpus.root())) {
            throw new IllegalStateException("No corpus at " + Corpus.root());
        }
    }
}
