package dev.imagery.local.emulator;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds {@code imagery-local/target/emulators}, the folder the build fills with each emulator's classpath
 * (see imagery-local/pom.xml). Looked for, in order: system property {@code imagery.emulators.dir}; beside
 * this module's classes ({@code target/classes} or {@code target/imagery-local.jar}: both sit in target/);
 * {@code imagery-local/target/emulators} in the working directory or one of its parents (for consumers that
 * got imagery-local from the local Maven repository).
 */
public final class EmulatorHome {

    public static final String PROPERTY = "imagery.emulators.dir";
    private static final String MARKER = "READY";

    private EmulatorHome() {
    }

    public static Path locate() {
        List<Path> candidates = new ArrayList<>();
        Optional.ofNullable(System.getProperty(PROPERTY)).map(Path::of).ifPresent(candidates::add);
        codeSourceTarget().map(target -> target.resolve("emulators")).ifPresent(candidates::add);
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            candidates.add(dir.resolve("imagery-local/target/emulators"));
        }
        return candidates.stream()
                .filter(candidate -> Files.isRegularFile(candidate.resolve(MARKER)))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("""
                        The embedded AWS servers are not built. Looked for %s in:
                          %s
                        Build them with: ./mvnw -pl imagery-local process-resources (or package)
                        or point -D%s at imagery-local/target/emulators."""
                        .formatted(MARKER, String.join("\n  ", candidates.stream().map(Path::toString).toList()),
                                PROPERTY)));
    }

    private static Optional<Path> codeSourceTarget() {
        try {
            Path location = Path.of(EmulatorHome.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Optional.ofNullable(location.getParent());
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
