package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import com.pngencoder.PngEncoder;
import com.twelvemonkeys.imageio.stream.BufferedFileImageInputStream;

/**
 * Entry point of imagery-bench.jar. Every mode takes a directory of photos (any: the check uses photos the
 * benchmark has never seen) or single files.
 * <pre>
 * pipeline DIR [--runs=5] [--warmup=3] [--warmup-seconds=1] [--variants=imagery,imagery-t1]
 *              [--level=N --filter=F --strategy=S]
 *     warm in-process medians, one TSV row per photo and variant, in ../shared/bench/run-peers.sh's columns
 *     (tool image megapixels median_ms rss_mb out_bytes threads cold_ms decode_ms sepia_ms encode_ms note)
 * encoders DIR [--runs=3]   full-size PNG encoders on the sepia image: levels, filters, strategies, peers
 * once FILE                 one cold run (for start-up time and peak RSS under /usr/bin/time)
 * throughput DIR [--concurrency=cores] [--seconds=30]
 *                           images per minute with N images in flight (the worker's default: one per core),
 *                           photos taken round-robin, after a warm-up pass: the standalone rate of one worker
 * jmh DIR [JMH options]     the JMH benchmarks (PipelineBenchmark) with -p photo= set to DIR's photos
 * </pre>
 * Variants: {@code imagery} is the worker's default settings (sepia and deflate on all cores),
 * {@code imagery-t1} the same on one thread, as a worker with as many images in flight as cores runs them.
 */
public final class Bench {

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java -jar imagery-bench.jar pipeline|encoders|once|jmh DIR|FILE [options]");
            System.exit(2);
        }
        String mode = args[0];
        List<Path> photos = photos(Path.of(args[1]));
        Map<String, String> opts = options(Arrays.copyOfRange(args, 2, args.length));
        switch (mode) {
            case "pipeline" -> pipeline(photos, opts);
            case "encoders" -> encoders(photos, opts);
            case "once" -> once(photos.get(0));
            case "throughput" -> throughput(photos, opts);
            case "jmh" -> jmh(photos, Arrays.copyOfRange(args, 2, args.length));
            default -> {
                System.err.println("unknown mode " + mode);
                System.exit(2);
            }
        }
    }

    static List<Path> photos(Path dirOrFile) throws IOException {
        if (!Files.isDirectory(dirOrFile)) {
            return List.of(dirOrFile.toAbsolutePath());
        }
        try (Stream<Path> files = Files.list(dirOrFile)) {
            return files.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                            .matches(".*\\.(jpe?g|png|webp|tiff?|gif|bmp)"))
                    .map(Path::toAbsolutePath).sorted().toList();
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (String a : args) {
            if (a.startsWith("--") && a.contains("=")) {
                opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        return opts;
    }

    private static SepiaSettings settings(Map<String, String> opts, boolean parallel) {
        SepiaSettings d = SepiaSettings.defaults();
        return d.withPng(Integer.parseInt(opts.getOrDefault("level", "" + d.pngCompressionLevel())),
                SepiaSettings.PngFilter.valueOf(opts.getOrDefault("filter", d.pngFilter().name())),
                SepiaSettings.DeflateStrategy.valueOf(opts.getOrDefault("strategy", d.deflateStrategy().name())),
                parallel);
    }

    /** Warm medians of the whole pipeline and of each phase, per photo, in the peers' TSV columns. */
    private static void pipeline(List<Path> photos, Map<String, String> opts) throws Exception {
        int runs = Integer.parseInt(opts.getOrDefault("runs", "5"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "3"));
        double warmupSeconds = Double.parseDouble(opts.getOrDefault("warmup-seconds", "1"));
        String[] variants = opts.getOrDefault("variants", "imagery,imagery-t1").split(",");
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.println("tool\timage\tmegapixels\tmedian_ms\trss_mb\tout_bytes\tthreads\tcold_ms\tdecode_ms"
                + "\tsepia_ms\tencode_ms\tnote");
        for (String variant : variants) {
            boolean parallel = !variant.endsWith("-t1");
            SepiaSettings s = settings(opts, parallel);
            if (variant.contains("-nothumb")) {
                // The peers' work and no more: no thumbnail (an image within the thumbnail size is its own).
                s = new SepiaSettings(s.maxPixels(), Integer.MAX_VALUE, s.pngCompressionLevel(), s.parallelPngCompression(),
                        s.pngFilter(), s.deflateStrategy());
            }
            SepiaProcessor processor = new SepiaProcessor(s);
            for (Path file : photos) {
                int warmed;
                try {
                    // A worker in service is warm: at least WARMUP runs and, for small photos, at least a second's
                    // worth, by when the JIT has compiled the hot loops. After 3 runs of each variant, a 0.14 MP
                    // PNG took 6.5 and 6.6 ms, after a second's 5.5 and 5.4 (docs/PERFORMANCE.md).
                    long warmUntil = System.nanoTime() + (long) (warmupSeconds * 1e9);
                    for (warmed = 0; warmed < warmup || System.nanoTime() < warmUntil; warmed++) {
                        processor.process(file);
                    }
                } catch (UnprocessableImageException e) {
                    System.out.printf(Locale.ROOT, "%s\t%s\t?\tERR\t\t\t\t\t\t\t\t%s%n", variant, file.getFileName(),
                            e.getMessage());
                    continue;
                }
                long[] total = new long[runs];
                long[] cpu = new long[runs];
                long[] decode = new long[runs];
                long[] sepia = new long[runs];
                long[] thumb = new long[runs];
                long[] encode = new long[runs];
                long[][] phaseCpu = new long[4][runs];
                int out = 0;
                int thumbBytes = 0;
                int w = 0;
                int h = 0;
                for (int r = 0; r < runs; r++) {
                    long c0 = processCpuNanos();
                    long t0 = System.nanoTime();
                    SepiaImage result = processor.process(file);
                    total[r] = System.nanoTime() - t0;
                    cpu[r] = processCpuNanos() - c0;
                    out = (int) result.pngLength();
                    thumbBytes = result.thumbnailPng().length;
                    w = result.width();
                    h = result.height();
                    result = null;
                    // The phases, one after the other, as process() runs them.
                    long q0 = processCpuNanos();
                    long p0 = System.nanoTime();
                    BufferedImage image;
                    try (ImageInputStream in = new BufferedFileImageInputStream(file.toFile())) {
                        image = processor.decodeUpright(in, () -> null);
                    }
                    long p1 = System.nanoTime();
                    long q1 = processCpuNanos();
                    SepiaPalette palette = SepiaFilter.applyUnlessGrey(image, parallel);
                    long p2 = System.nanoTime();
                    long q2 = processCpuNanos();
                    BufferedImage small = Thumbnails.of(image, s.thumbnailMaxSide());
                    if (small != image) {
                        PngEncoding.encodeThumbnail(small, ExifOrientation.NORMAL, palette != null);
                    }
                    long p3 = System.nanoTime();
                    long q3 = processCpuNanos();
                    PngEncoding.start(image, ExifOrientation.NORMAL, palette, s).finish().toByteArray();
                    long p4 = System.nanoTime();
                    long q4 = processCpuNanos();
                    phaseCpu[0][r] = q1 - q0;
                    phaseCpu[1][r] = q2 - q1;
                    phaseCpu[2][r] = q3 - q2;
                    phaseCpu[3][r] = q4 - q3;
                    decode[r] = p1 - p0;
                    sepia[r] = p2 - p1;
                    thumb[r] = p3 - p2;
                    encode[r] = p4 - p3;
                }
                System.out.printf(Locale.ROOT, "%s\t%s\t%.2f\t%.1f\t%.1f\t%d\t%d\t\t%.1f\t%.1f\t%.1f\t"
                                + "thumbnail_ms=%.1f cpu_ms=%.1f cpu_decode/sepia/thumb/encode=%.0f/%.0f/%.0f/%.0f "
                                + "thumb_bytes=%d level=%d filter=%s strategy=%s deflate=%s runs=%d warmup=%d%n",
                        variant, file.getFileName(), w * (double) h / 1e6, ms(total), rssMb(), out,
                        parallel ? cores : 1, ms(decode), ms(sepia), ms(encode), ms(thumb), ms(cpu), ms(phaseCpu[0]), ms(phaseCpu[1]), ms(phaseCpu[2]),
                        ms(phaseCpu[3]), thumbBytes,
                        s.pngCompressionLevel(), s.pngFilter(), s.deflateStrategy(),
                        IsalDeflate.handles(s.pngCompressionLevel(), s.deflateStrategy()) ? "isa-l" : "zlib", runs,
                        warmed);
            }
        }
    }

    /** The full-size encoders on the sepia image: ours over levels, filters and strategies, and two others. */
    private static void encoders(List<Path> photos, Map<String, String> opts) throws Exception {
        int runs = Integer.parseInt(opts.getOrDefault("runs", "3"));
        String only = opts.getOrDefault("only", "");
        System.out.println("image\tencoder\tthreads\tms\tcpu_ms\tbytes\tratio_to_raw");
        for (Path file : photos) {
            BufferedImage image;
            try (ImageInputStream in = new BufferedFileImageInputStream(file.toFile())) {
                image = new SepiaProcessor().decodeUpright(in, () -> null);
            }
            SepiaFilter.apply(image);
            long raw = (long) image.getWidth() * image.getHeight() * 3;
            List<Object[]> candidates = new ArrayList<>();
            for (boolean parallel : new boolean[] {true, false}) {
                for (String c : new String[] {"1 NONE DEFAULT", "1 UP DEFAULT", "1 SUB DEFAULT", "1 PAETH DEFAULT", "1 AUTO DEFAULT",
                        "1 ADAPTIVE DEFAULT", "2 UP DEFAULT", "6 NONE DEFAULT", "6 UP DEFAULT", "6 ADAPTIVE DEFAULT",
                        "6 UP FILTERED", "1 PAETH HUFFMAN", "1 UP HUFFMAN"}) {
                    candidates.add(new Object[] {"imagery L" + c.replace(' ', '/'), c, parallel});
                }
                candidates.add(new Object[] {"pngencoder L1", "pe 1 false", parallel});
                candidates.add(new Object[] {"pngencoder L6", "pe 6 false", parallel});
                candidates.add(new Object[] {"pngencoder L1 predictor", "pe 1 true", parallel});
            }
            candidates.add(new Object[] {"ImageIO (L4)", "imageio", false});
            for (Object[] c : candidates) {
                String label = (String) c[0];
                if (!only.isEmpty() && !label.matches(only)) {
                    continue;
                }
                String spec = (String) c[1];
                boolean parallel = (Boolean) c[2];
                long[] times = new long[runs];
                long[] cpu = new long[runs];
                int size = 0;
                for (int r = -1; r < runs; r++) {
                    long c0 = processCpuNanos();
                    long t0 = System.nanoTime();
                    byte[] png = encode(image, spec, parallel);
                    if (r >= 0) {
                        times[r] = System.nanoTime() - t0;
                        cpu[r] = processCpuNanos() - c0;
                    }
                    size = png.length;
                }
                System.out.printf(Locale.ROOT, "%s\t%s\t%d\t%.1f\t%.1f\t%d\t%.3f%n", file.getFileName(), label,
                        parallel ? Runtime.getRuntime().availableProcessors() : 1, ms(times), ms(cpu), size,
                        size / (double) raw);
            }
        }
    }

    private static byte[] encode(BufferedImage image, String spec, boolean parallel) throws IOException {
        String[] p = spec.split(" ");
        if (p[0].equals("imageio")) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam param = writer.getDefaultWriteParam();
                writer.write(null, new IIOImage(image, null, null), param);
            } finally {
                writer.dispose();
            }
            return bytes.toByteArray();
        }
        if (p[0].equals("pe")) {
            return new PngEncoder().withBufferedImage(image).withCompressionLevel(Integer.parseInt(p[1]))
                    .withPredictorEncoding(Boolean.parseBoolean(p[2])).withMultiThreadedCompressionEnabled(parallel)
                    .toBytes();
        }
        SepiaSettings s = SepiaSettings.defaults().withPng(Integer.parseInt(p[0]),
                SepiaSettings.PngFilter.valueOf(p[1]), SepiaSettings.DeflateStrategy.valueOf(p[2]), parallel);
        return PngEncoding.encode(image, s).toByteArray();
    }

    private static void throughput(List<Path> photos, Map<String, String> opts) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "" + cores));
        long seconds = Long.parseLong(opts.getOrDefault("seconds", "30"));
        SepiaProcessor processor = new SepiaProcessor(settings(opts, true));
        for (Path file : photos) {
            processor.process(file); // warm-up
            processor.process(file);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicLong pixels = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        SepiaImage r = processor.process(photos.get(Math.floorMod(next.getAndIncrement(), photos.size())));
                        done.incrementAndGet();
                        pixels.addAndGet((long) r.width() * r.height());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        double minutes = (System.nanoTime() - t0) / 6e10;
        System.out.printf(Locale.ROOT, "concurrency=%d images=%d seconds=%.1f images_per_min=%.1f mp_per_s=%.2f "
                        + "peak_rss_mb=%.1f photos=%d%n", concurrency, done.get(), minutes * 60, done.get() / minutes,
                pixels.get() / 1e6 / (minutes * 60), rssMb(), photos.size());
    }

    private static void once(Path file) throws Exception {
        long t0 = System.nanoTime();
        SepiaImage result = new SepiaProcessor().process(file);
        System.out.printf(Locale.ROOT, "{\"ms\": %.1f, \"out_bytes\": %d, \"width\": %d, \"height\": %d}%n",
                (System.nanoTime() - t0) / 1e6, result.pngLength(), result.width(), result.height());
    }

    private static void jmh(List<Path> photos, String[] rest) throws Exception {
        CommandLineOptions cli = new CommandLineOptions(rest);
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            options.include(PipelineBenchmark.class.getName());
        }
        if (!cli.getParameter("photo").hasValue()) {
            options.param("photo", photos.stream().map(Path::toString).toArray(String[]::new));
        }
        new Runner(options.build()).run();
    }

    static BufferedImage copy(BufferedImage image) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), image.getType());
        System.arraycopy(bytes(image), 0, bytes(copy), 0, bytes(image).length);
        return copy;
    }

    static byte[] bytes(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }

    /**
     * CPU time of all Java threads (the caller and the deflate pool; not GC or JIT), in ns: unlike wall time it
     * hardly moves when other processes share the cores, and unlike the process's total it is not in 10 ms ticks.
     */
    private static long processCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            long t = threads.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }

    /** Peak resident size of this JVM so far (VmHWM), Linux only; 0 elsewhere. */
    private static double rssMb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0) / 1024.0;
    }

    private static double ms(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return median / 1e6;
    }

    private Bench() {
    }
}
