package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import javax.imageio.stream.ImageInputStream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import com.twelvemonkeys.imageio.stream.BufferedFileImageInputStream;

/**
 * JMH: the whole pipeline ({@code process}) and each phase on its own, per photo. The photos come from
 * {@code -p photo=/a.jpg,/b.jpg} ({@code Bench jmh DIR} fills it from a directory). Single-shot-free
 * average time: each phase is milliseconds long, so per-invocation set-up (a fresh copy to filter or
 * encode) is negligible against it and excluded from the time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-XX:+UseG1GC"})
public class PipelineBenchmark {

    /** Absolute path of the photo. */
    @Param("")
    public String photo;

    /** Deflate and sepia on all cores (the worker's default) or on the calling thread only. */
    @Param({"true"})
    public boolean parallel;

    @Param({"" + SepiaSettings.DEFAULT_PNG_COMPRESSION_LEVEL})
    public int level;

    @Param({"AUTO"})
    public String filter;

    @Param({"DEFAULT"})
    public String strategy;

    private SepiaProcessor processor;
    private SepiaSettings settings;
    private Path file;
    /** Decoded and upright, never modified. */
    private BufferedImage upright;
    /** Sepia (for a grey photo: grey, its PNG's palette being the sepia), never modified. */
    private BufferedImage sepia;
    /** A fresh copy of {@link #upright} for the in-place filter. */
    private BufferedImage scratch;
    /** For a grey photo, its PNG's palette; null for a colour one. */
    private SepiaPalette palette;

    @Setup(Level.Trial)
    public void load() throws Exception {
        if (photo.isEmpty()) {
            throw new IllegalArgumentException("pass -p photo=/path/to/photo.jpg (or run: Bench jmh DIR)");
        }
        file = Path.of(photo);
        settings = SepiaSettings.defaults().withPng(level, SepiaSettings.PngFilter.valueOf(filter),
                SepiaSettings.DeflateStrategy.valueOf(strategy), parallel);
        processor = new SepiaProcessor(settings);
        upright = decode();
        sepia = Bench.copy(upright);
        palette = SepiaFilter.applyUnlessGrey(sepia, parallel);
    }

    @Setup(Level.Invocation)
    public void freshCopy() {
        if (scratch == null) {
            scratch = Bench.copy(upright);
        } else {
            System.arraycopy(Bench.bytes(upright), 0, Bench.bytes(scratch), 0, Bench.bytes(upright).length);
        }
    }

    /** Everything, as the worker calls it: decode, orientation, sepia, thumbnail, both PNGs. */
    @Benchmark
    public SepiaImage process() throws Exception {
        return processor.process(file);
    }

    /** Header, EXIF orientation, decode, conversion to the standard layout, turn. */
    @Benchmark
    public BufferedImage decode() throws IOException, UnprocessableImageException {
        try (ImageInputStream in = new BufferedFileImageInputStream(file.toFile())) {
            return processor.decodeUpright(in, () -> null);
        }
    }

    /** The check for a grey photo, then the filter (for a colour one). */
    @Benchmark
    public BufferedImage sepia() {
        SepiaFilter.applyUnlessGrey(scratch, parallel);
        return scratch;
    }

    @Benchmark
    public byte[] thumbnail() {
        return PngEncoding.encodeThumbnail(Thumbnails.of(sepia, settings.thumbnailMaxSide()), ExifOrientation.NORMAL,
                palette != null);
    }

    @Benchmark
    public PngEncoding.Chunks encode() {
        return PngEncoding.start(sepia, ExifOrientation.NORMAL, palette, settings).finish();
    }
}
