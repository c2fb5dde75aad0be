package dev.imagery.test.corpus;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

/**
 * The shared test images ({@code shared/corpus} beside the repository: photos of several sizes and an
 * edge-case set, described in its MANIFEST.tsv). Found through the system property {@code imagery.corpus}
 * (the parent pom sets it for surefire), else by walking up from the working directory. It is part of the
 * checkout environment, so a missing corpus fails the test with a message saying where we looked.
 *
 * <pre>{@code
 * Path photo = Corpus.photo("medium_4.1MP_LadyBird.jpg");
 * Path cmyk  = Corpus.edge("cmyk_with_profile.jpg");
 * for (Path p : Corpus.photos()) { ... }
 * }</pre>
 */
public final class Corpus {

    public static final String PROPERTY = "imagery.corpus";

    private static Path root;

    private Corpus() {
    }

    /** The corpus folder (holding MANIFEST.tsv, photos/ and edge/). */
    public static synchronized Path root() {
        if (root == null) {
            root = locate();
        }
        return root;
    }

    /** {@code photos/<name>}, e.g. {@code "small_0.3MP_chelsea.png"}. */
    public static Path photo(String name) {
        return file("photos", name);
    }

    /** {@code edge/<name>}, e.g. {@code "exif_orient6_canon.jpg"}. */
    public static Path edge(String name) {
        return file("edge", name);
    }

    /** A file by its path in the corpus, as MANIFEST.tsv lists it: {@code "photos/small_0.3MP_chelsea.png"}. */
    public static Path path(String relative) {
        Path file = root().resolve(relative).normalize();
        if (!file.startsWith(root()) || !Files.isRegularFile(file)) {
            throw new AssertionError("No " + relative + " in the test corpus " + root());
        }
        return file;
    }

    /** All photos, smallest file first (the names start small_, medium_, large_, xlarge_). */
    public static List<Path> photos() {
        return list("photos");
    }

    /** All edge cases (undecodable ones included: truncated, corrupt, a decompression bomb). */
    public static List<Path> edges() {
        return list("edge");
    }

    /** Reads an image with ImageIO; fails the test if it cannot be decoded. No EXIF orientation is applied. */
    public static BufferedImage read(Path file) {
        try {
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new AssertionError("ImageIO has no reader for " + file);
            }
            return image.getType() == BufferedImage.TYPE_BYTE_GRAY ? grayAsDisplayed(image) : image;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not decode " + file, e);
        }
    }

    /**
     * Java's getRGB treats 8-bit gray as linear light and brightens it; viewers (and Imagery) show a
     * gray value g as the sRGB colour (g, g, g). Comparisons need the latter.
     */
    private static BufferedImage grayAsDisplayed(BufferedImage gray) {
        BufferedImage rgb = new BufferedImage(gray.getWidth(), gray.getHeight(), BufferedImage.TYPE_INT_RGB);
        Raster samples = gray.getRaster();
        for (int y = 0; y < gray.getHeight(); y++) {
            for (int x = 0; x < gray.getWidth(); x++) {
                int g = samples.getSample(x, y, 0);
                rgb.setRGB(x, y, g << 16 | g << 8 | g);
            }
        }
        return rgb;
    }

    private static Path file(String folder, String name) {
        return path(folder + "/" + name);
    }

    private static List<Path> list(String folder) {
        try (Stream<Path> files = Files.list(root().resolve(folder))) {
            return files.filter(Files::isRegularFile)
                    .sorted((a, b) -> Long.compare(size(a), size(b)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path locate() {
        Optional<Path> configured = Optional.ofNullable(System.getProperty(PROPERTY)).filter(s -> !s.isBlank())
                .map(Path::of).map(Path::toAbsolutePath).map(Path::normalize);
        if (configured.filter(Corpus::isCorpus).isPresent()) {
            return configured.get();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/corpus");
            if (isCorpus(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("The test image corpus is missing: it is part of the checkout environment"
                + " (shared/corpus beside the repository, with MANIFEST.tsv, photos/ and edge/)."
                + configured.map(path -> " -D" + PROPERTY + " points to " + path + ", which is not it.").orElse("")
                + " Also looked for shared/corpus in " + Path.of("").toAbsolutePath() + " and its parents.");
    }

    private static boolean isCorpus(Path dir) {
        return Files.isRegularFile(dir.resolve("MANIFEST.tsv")) && Files.isDirectory(dir.resolve("photos"));
    }
}
