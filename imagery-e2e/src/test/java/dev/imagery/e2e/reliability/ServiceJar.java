package dev.imagery.e2e.reliability;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One Imagery service (API or worker jar) run as a separate process, the way an operator runs it, so a test
 * can SIGKILL it, SIGTERM it and start it again on the same port. Each run's output goes to a log file of its
 * own and is kept in memory as timestamped lines, so tests can see what the process did before it died.
 * It gets a {@code -javaagent} that ends it when our stdin pipe closes: it cannot outlive the test JVM.
 */
final class ServiceJar {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A line of output and when it was read. */
    record Line(Instant at, String text) {
    }

    private final String name;
    private final Path jar;
    private final int port;
    private final Map<String, String> environment;
    private final List<String> arguments;
    private final Path agent;
    private final Path logDir;
    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private Process process;
    private Instant startedAt = Instant.EPOCH;
    private int runs;

    ServiceJar(String name, Path jar, int port, Map<String, String> environment, List<String> arguments, Path agent,
            Path logDir) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.environment = environment;
        this.arguments = arguments;
        this.agent = agent;
        this.logDir = logDir;
    }

    /**
     * Another service from the same jar, environment and agent, on {@code port}, with {@code moreArguments} after
     * this one's (later arguments win, as with Spring's command line).
     */
    ServiceJar sibling(String siblingName, int siblingPort, List<String> moreArguments) {
        List<String> all = new ArrayList<>(arguments);
        all.addAll(moreArguments);
        return new ServiceJar(siblingName, jar, siblingPort, environment, all, agent, logDir);
    }

    String name() {
        return name;
    }

    int port() {
        return port;
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    synchronized Process process() {
        return process;
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** Starts a new run of the jar (the previous one must have ended). */
    synchronized ServiceJar start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        runs++;
        startedAt = Instant.now();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agent, "-Xmx512m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(logDir.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.environment().put("SERVER_ADDRESS", "127.0.0.1");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
        pump(process, logDir.resolve(name + "-" + runs + ".log"));
        return this;
    }

    /** Polls the readiness probe until it answers 200. */
    ServiceJar awaitReady(Duration timeout) {
        URI readiness = baseUrl().resolve("actuator/health/readiness");
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Process current = process();
            if (current == null || !current.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; see its log in " + logDir);
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            Reliability.sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException(name + " was not ready within " + timeout);
    }

    /** SIGKILL: no shutdown hook runs, nothing is acknowledged or released. Returns when the process is gone. */
    Instant kill() {
        Process current = process();
        Instant at = Instant.now();
        current.toHandle().destroyForcibly();
        waitFor(current, Duration.ofSeconds(10));
        return at;
    }

    /** SIGTERM, then waits up to {@code grace} for the exit; returns the exit code, or -1 if it had to be killed. */
    int terminate(Duration grace) {
        Process current = process();
        if (current == null || !current.isAlive()) {
            return current == null ? 0 : current.exitValue();
        }
        current.toHandle().destroy(); // the handle: Process.destroy would close the pipes and cut the last log lines
        if (!waitFor(current, grace)) {
            current.destroyForcibly();
            waitFor(current, Duration.ofSeconds(10));
            return -1;
        }
        return current.exitValue();
    }

    /** Output lines of all runs so far, oldest first. */
    List<Line> lines() {
        return List.copyOf(lines);
    }

    List<Line> lines(Predicate<String> filter) {
        return lines.stream().filter(line -> filter.test(line.text())).toList();
    }

    /** Output of the current (or last) run only. */
    List<Line> linesOfThisRun() {
        Instant since;
        synchronized (this) {
            since = startedAt;
        }
        return lines.stream().filter(line -> !line.at().isBefore(since)).toList();
    }

    long count(Predicate<String> filter) {
        return lines.stream().filter(line -> filter.test(line.text())).count();
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

    private static boolean waitFor(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return name + " on port " + port;
    }
}
