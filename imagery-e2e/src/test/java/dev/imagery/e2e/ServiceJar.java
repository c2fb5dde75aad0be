package dev.imagery.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of this repository's jars (the launcher, the API, the worker) run as a separate process, the way an operator
 * runs it, so a test can wait for it, SIGKILL it, SIGTERM it and start it again. Each run's output goes to a log
 * file of its own in the working directory and is kept in memory as timestamped lines, so tests can see what the
 * process did before it died. Stopping it also stops what it started (the launcher's servers and services).
 */
public final class ServiceJar {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final int TAIL_LINES = 40;

    /** A line of output and when it was read. */
    public record Line(Instant at, String text) {
    }

    private final String name;
    private final Path jar;
    private final int port;
    private final Path workDir;
    private final List<String> jvmOptions;
    private final Map<String, String> environment;
    private final List<String> arguments;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private Process process;
    private Instant startedAt = Instant.EPOCH;
    private int runs;

    /**
     * {@code java <jvmOptions> -jar <jar> <arguments>} in {@code workDir}, with {@code environment} added to ours.
     * {@code port} is where it answers HTTP ({@link #baseUrl()}, {@link #awaitReady}); the caller's options set it.
     */
    public ServiceJar(String name, Path jar, int port, Path workDir, List<String> jvmOptions, Map<String, String> environment,
            List<String> arguments) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.workDir = workDir.toAbsolutePath();
        this.jvmOptions = List.copyOf(jvmOptions);
        this.environment = Map.copyOf(environment);
        this.arguments = List.copyOf(arguments);
    }

    /** The jar the build made of {@code module}, e.g. {@code imagery-api/target/imagery-api.jar}. */
    public static Path built(String module) {
        Path jar = repository().resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: build the jars first (./mvnw -DskipTests package)");
        }
        return jar;
    }

    /** The repository root: set by the build ({@code imagery.repo}), else the parent of the module directory. */
    public static Path repository() {
        String configured = System.getProperty("imagery.repo", "");
        return (configured.isBlank() ? Path.of("").toAbsolutePath().getParent() : Path.of(configured))
                .toAbsolutePath().normalize();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public synchronized Process process() {
        return process;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The log file of the current (or last) run. */
    public synchronized Path log() {
        return workDir.resolve(name + "-" + runs + ".log");
    }

    /** Starts a new run of the jar (the previous one must have ended). */
    public synchronized ServiceJar start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        runs++;
        startedAt = Instant.now();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(workDir.toFile());
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
        pump(process, log());
        return this;
    }

    /** Polls the readiness probe on {@link #port()} until it answers 200. */
    public ServiceJar awaitReady(Duration timeout) {
        HttpRequest readiness = HttpRequest.newBuilder(baseUrl().resolve("actuator/health/readiness"))
                .timeout(Duration.ofSeconds(2)).build();
        awaitUntil(timeout, "ready", () -> {
            try {
                return HTTP.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYet) {
                return false; // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        return this;
    }

    /** Waits for an output line of this run that matches {@code pattern}; returns its match. */
    public Matcher awaitLine(Pattern pattern, Duration timeout) {
        Matcher[] found = new Matcher[1];
        awaitUntil(timeout, "printed /" + pattern + "/", () -> {
            Optional<Matcher> match = linesOfThisRun().stream().map(line -> pattern.matcher(line.text()))
                    .filter(Matcher::find).findFirst();
            match.ifPresent(matcher -> found[0] = matcher);
            return match.isPresent();
        });
        return found[0];
    }

    /** SIGKILL: no shutdown hook runs, nothing is acknowledged or released. Returns when the process is gone. */
    public Instant kill() {
        Process current = process();
        Instant at = Instant.now();
        current.toHandle().destroyForcibly();
        waitFor(current.toHandle(), Duration.ofSeconds(10));
        return at;
    }

    /**
     * SIGTERM, then waits up to {@code grace} for the exit; returns the exit code, or -1 if it had to be killed.
     * What it started and left running is then stopped too (listed first: once it is gone they are re-parented).
     */
    public int terminate(Duration grace) {
        Process current = process();
        if (current == null || !current.isAlive()) {
            return current == null ? 0 : current.exitValue();
        }
        List<ProcessHandle> descendants = current.descendants().toList();
        current.toHandle().destroy(); // the handle: Process.destroy would close the pipes and cut the last log lines
        boolean exited = waitFor(current.toHandle(), grace);
        if (!exited) {
            current.destroyForcibly();
            waitFor(current.toHandle(), Duration.ofSeconds(10));
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
        for (ProcessHandle child : descendants) {
            if (!waitFor(child, Duration.ofSeconds(10))) {
                child.destroyForcibly();
            }
        }
        return exited ? current.exitValue() : -1;
    }

    /** Output lines of all runs so far, oldest first. */
    public List<Line> lines() {
        return List.copyOf(lines);
    }

    public List<Line> lines(Predicate<String> filter) {
        return lines.stream().filter(line -> filter.test(line.text())).toList();
    }

    /** Output of the current (or last) run only. */
    public List<Line> linesOfThisRun() {
        Instant since;
        synchronized (this) {
            since = startedAt;
        }
        return lines.stream().filter(line -> !line.at().isBefore(since)).toList();
    }

    public long count(Predicate<String> filter) {
        return lines.stream().filter(line -> filter.test(line.text())).count();
    }

    /** Polls {@code condition} every 250 ms; fails with the last lines of output if the process exits or time runs out. */
    private void awaitUntil(Duration timeout, String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Process current = process();
            if (current == null || !current.isAlive()) {
                throw new IllegalStateException(name + " exited before it " + what + failureContext());
            }
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(name + " was not " + what + " within " + timeout + failureContext());
    }

    private String failureContext() {
        List<Line> run = linesOfThisRun();
        return "; log " + log() + ", last lines:\n" + String.join("\n",
                run.subList(Math.max(0, run.size() - TAIL_LINES), run.size()).stream().map(Line::text).toList());
    }

    private void pump(Process started, Path log) {
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8));
                    PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(new Line(Instant.now(), line));
                    out.println(line);
                }
            } catch (IOException ended) {
                // the process ended
            }
        }, name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    private static boolean waitFor(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception stillRunning) {
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " on port " + port;
    }
}
