package dev.imagery.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private final Process launcher;

    private RunningImagery(URI baseUrl, Path workDir, Process launcher) {
        this.baseUrl = baseUrl;
        this.workDir = workDir;
        this.launcher = launcher;
    }

    /** The running system, started on first use. */
    public static synchronized RunningImagery get() {
        if (instance == null) {
            String external = System.getProperty("imagery.e2e.baseUrl", "");
            instance = external.isBlank() ? start() : new RunningImagery(withSlash(external), null, null);
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

    /** The launcher's directory (its imagery-local.env, data and {@code imagery.log}); null for an external system. */
    public Path workDir() {
        return workDir;
    }

    // ------------------------------------------------------------------ start

    private static RunningImagery start() {
        Path jar = repository().resolve("imagery-local/target/imagery-local.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the jars first (./mvnw -DskipTests package)");
        }
        try {
            Path workDir = Files.createDirectories(Path.of("target"))
                    .resolve("imagery-" + Instant.now().toString().replace(':', '-'));
            Files.createDirectories(workDir);
            Path log = workDir.resolve("imagery.log");
            // Free ports, not the defaults: a developer's own Imagery may be running on 8080/8081.
            // In memory: every test JVM starts from empty tables, queues and buckets.
            List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", jar.toString(),
                    "--port=" + freePort(), "--worker-port=" + freePort(), "--in-memory"));
            command.addAll(extraArguments());
            System.out.println("[e2e] starting " + String.join(" ", command) + " in " + workDir + " (log: " + log + ")");

            Process launcher = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(launcher), "imagery-e2e-stop"));

            URI url = awaitReadyLine(launcher, log);
            awaitReadiness(url, launcher);
            System.out.println("[e2e] Imagery is ready at " + url);
            return new RunningImagery(url, workDir, launcher);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the launcher's output to the log file and completes with the URL of its "running" line. */
    private static URI awaitReadyLine(Process launcher, Path log) throws IOException {
        CompletableFuture<URI> ready = new CompletableFuture<>();
        Deque<String> tail = new ArrayDeque<>();
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    out.println(line);
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 40) tail.removeFirst();
                    }
                    Matcher matcher = READY_LINE.matcher(line);
                    if (matcher.find()) ready.complete(withSlash(matcher.group(1)));
                }
            } catch (IOException ignored) {
                // the process ended
            } finally {
                out.close();
                ready.completeExceptionally(new IllegalStateException("the launcher ended before it was ready"));
            }
        }, "imagery-e2e-log");
        pump.setDaemon(true);
        pump.start();
        try {
            return ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            String why = e instanceof TimeoutException ? "no \"Imagery is running\" line within " + START_TIMEOUT
                    : e.getCause().getMessage();
            String lastLines;
            synchronized (tail) {
                lastLines = String.join("\n", tail);
            }
            stop(launcher);
            throw new IllegalStateException("Imagery did not start: " + why + " (exit: "
                    + (launcher.isAlive() ? "still running" : launcher.exitValue()) + "), log " + log
                    + ", last lines:\n" + lastLines, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(launcher);
            throw new IllegalStateException("interrupted while starting Imagery", e);
        }
    }

    /** The line is printed when everything is up; the readiness probe makes sure the API really answers. */
    private static void awaitReadiness(URI url, Process launcher) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(url.resolve("actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline) && launcher.isAlive()) {
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) return;
            } catch (IOException notYet) {
                // keep trying until the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep(Duration.ofMillis(500));
        }
        stop(launcher);
        throw new IllegalStateException("the API at " + url + " never reported ready");
    }

    // ------------------------------------------------------------------ stop

    /**
     * Stops the launcher and everything it started. Descendants are listed first: once the launcher is gone
     * its children are re-parented and can no longer be found through it.
     */
    private static void stop(Process launcher) {
        if (launcher == null) return;
        List<ProcessHandle> descendants = launcher.descendants().toList();
        launcher.destroy(); // lets the launcher shut its children down in order
        waitFor(launcher.toHandle(), STOP_GRACE);
        for (ProcessHandle child : descendants) {
            if (child.isAlive()) child.destroy();
        }
        for (ProcessHandle child : descendants) {
            waitFor(child, Duration.ofSeconds(10));
            if (child.isAlive()) child.destroyForcibly();
        }
        if (launcher.isAlive()) launcher.destroyForcibly();
    }

    private static void waitFor(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception stillRunning) {
            // the caller escalates
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The repository root: set by the build ({@code imagery.repo}), else the parent of the module directory. */
    static Path repository() {
        String configured = System.getProperty("imagery.repo", "");
        return (configured.isBlank() ? Path.of("").toAbsolutePath().getParent() : Path.of(configured))
                .toAbsolutePath().normalize();
    }

    /** {@code -Dimagery.e2e.launcherArgs="--workers=2"} passes more options to the launcher (see its --help). */
    private static List<String> extraArguments() {
        String extra = System.getProperty("imagery.e2e.launcherArgs", "").trim();
        return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static URI withSlash(String url) {
        return URI.create(url.endsWith("/") ? url : url + "/");
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
