package dev.imagery.e2e.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.BooleanSupplier;

import dev.imagery.test.aws.Backend;

/**
 * Shared knobs of the reliability scenarios. The normal suite runs short variants; {@code -Dimagery.soak=true}
 * runs the same tests with larger counts and more faults. Every scenario reports its figures here: they are
 * printed and appended to {@code imagery-e2e/target/reliability/figures.md}, where docs/RELIABILITY.md's
 * numbers come from.
 */
final class Reliability {

    static final boolean SOAK = Boolean.getBoolean("imagery.soak");
    static final Path FIGURES = Path.of("target", "reliability", "figures.md");

    /** The backend of the fleet the running test asked for last (tests run one at a time), named in its figures. */
    static volatile Backend backend = Backend.EMBEDDED;

    private Reliability() {
    }

    /** {@code normal} in the normal suite, {@code soak} with -Dimagery.soak=true. */
    static int count(int normal, int soak) {
        return SOAK ? soak : normal;
    }

    /** Appends one scenario's figures (name → value, in order) as a line of figures.md and prints it. */
    static void figures(String scenario, Map<String, ?> figures) {
        StringJoiner line = new StringJoiner(", ", "| " + Instant.now() + " | " + scenario
                + (backend == Backend.LOCALSTACK ? " (LocalStack)" : "") + (SOAK ? " (soak)" : "") + " | ", " |");
        figures.forEach((name, value) -> line.add(name + " " + value));
        String text = line + System.lineSeparator();
        System.out.print("[reliability] " + text);
        try {
            Files.createDirectories(FIGURES.getParent());
            Files.writeString(FIGURES, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code condition} holds, checking every 200 ms; false when {@code timeout} passed first. */
    static boolean await(Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            sleep(Duration.ofMillis(200));
        }
        return condition.getAsBoolean();
    }
}
