package dev.imagery.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.imagery.local.emulator.LocalPorts;

/**
 * The whole system, started the way a user starts it: {@code java -jar imagery-local/target/imagery-local.jar},
 * which brings up the embedded AWS servers, the API and the worker as separate processes.
 *
 * <p>One instance per test JVM ({@link #get()}); it is stopped with its whole process tree when the JVM exits.
 * Set {@code -Dimagery.e2e.baseUrl=http://host:port} to test an Imagery that is already running instead.
 */
public final class RunningImagery {

    private static final Pattern READY_LINE = Pattern.compile("Imagery is running on (http://\\S+)");
    private static final Duration START_TIMEOUT =
            Duration.ofSeconds(Long.getLong("imagery.e2e.startTimeoutSeconds", 300));
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private static RunningImagery instance;

    private final URI baseUrl;
    private final Path workDir;

    private RunningImagery(URI baseUrl, Path workDir) {
        this.baseUrl = baseUrl;
        this.workDir = workDir;
    }

    /** The running system, started on first use. */
    public static synchronized RunningImagery get() {
        if (instance == null) {
            String external = System.getProperty("imagery.e2e.baseUrl", "");
            instance = external.isBlank() ? start() : new RunningImagery(withSlash(external), null);
        }
        return instance;
    }

    /** Where the API and the upload page answer, ending with a slash, e.g. {@code http://localhost:41234/}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** {@code path} resolved against the base URL: {@code uri("image/" + id)}. */
    public URI uri(String path) {
        return baseUrl.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** The launcher's directory (its imagery-local.env, data and {@code imagery-1.log}); null for an external system. */
    public Path workDir() {
        return workDir;
    }

    private static RunningImagery start() {
        Path workDir;
        try {
            workDir = Files.createDirectories(Path.of("target", "imagery-" + Instant.now().toString().replace(':', '-')))
                    .toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Free ports, not the defaults: a developer's own Imagery may be running on 8080/8081.
        // In memory: every test JVM starts from empty tables, queues and buckets.
        List<Integer> ports = LocalPorts.allocate(2);
        List<String> arguments = new ArrayList<>(List.of("--port=" + ports.get(0), "--worker-port=" + ports.get(1), "--in-memory"));
        arguments.addAll(extraArguments());
        ServiceJar launcher = new ServiceJar("imagery", ServiceJar.built("imagery-local"), ports.get(0), workDir, List.of(),
                Map.of(), arguments);
        System.out.println("[e2e] starting imagery-local.jar " + String.join(" ", arguments) + " (log: " + launcher.log() + ")");
        launcher.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> launcher.terminate(STOP_GRACE), "imagery-e2e-stop"));
        try {
            // The line is printed when everything is up; the readiness probe makes sure the API really answers.
            URI url = withSlash(launcher.awaitLine(READY_LINE, START_TIMEOUT).group(1));
            launcher.awaitReady(Duration.ofSeconds(60));
            System.out.println("[e2e] Imagery is ready at " + url);
            return new RunningImagery(url, workDir);
        } catch (RuntimeException e) {
            launcher.terminate(STOP_GRACE);
            throw new IllegalStateException("Imagery did not start", e);
        }
    }

    /** {@code -Dimagery.e2e.launcherArgs="--workers=2"} passes more options to the launcher (see its --help). */
    private static List<String> extraArguments() {
        String extra = System.getProperty("imagery.e2e.launcherArgs", "").trim();
        return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
    }

    private static URI withSlash(String url) {
        return URI.create(url.endsWith("/") ? url : url + "/");
    }
}
