package dev.imagery.worker.image;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the shared test images are: the {@code imagery.corpus} system property (set by the parent
 * pom), else {@code shared/corpus} found walking up from the working directory. Kept tiny on purpose:
 * the shared {@code Corpus} helper of imagery-test-support can replace it.
 */
final class CorpusLocation {

    private CorpusLocation() {
    }

    static Path corpus() {
        String property = System.getProperty("imagery.corpus");
        if (property != null && Files.isDirectory(Path.of(property))) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("corpus");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Test image corpus not found: set -Dimagery.corpus=/path/to/shared/corpus");
    }
}
