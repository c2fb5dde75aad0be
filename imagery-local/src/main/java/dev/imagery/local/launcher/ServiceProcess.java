package dev.imagery.local.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An Imagery service (API or worker) run as {@code java -jar}, its output printed with a name prefix. It gets
 * our stdin pipe and a {@code -javaagent} that exits it when the pipe closes, so it cannot outlive us.
 */
final class ServiceProcess {

    private static final Object CONSOLE = new Object();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final int port;
    private final Process process;
    private final OutputStream lifeline;

    private ServiceProcess(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.lifeline = process.getOutputStream();
    }

    static ServiceProcess start(String name, Path jar, List<String> jvmOptions, int port, Map<String, String> environment,
            Path agentJar) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-javaagent:" + agentJar));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        try {
            ServiceProcess service = new ServiceProcess(name, port, builder.start());
            service.printOutput();
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name + " (" + jar + ")", e);
        }
    }

    String name() {
        return name;
    }

    Process process() {
        return process;
    }

    static void print(String line) {
        synchronized (CONSOLE) {
            System.out.println(line);
        }
    }

    /** Polls the readiness probe until it answers 200; fails if the process exits or time runs out. */
    void awaitReady(Duration timeout) throws InterruptedException {
        URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + " during start-up");
            }
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s (" + readiness + ")");
            }
            Thread.sleep(250);
        }
    }

    /**
     * Asks for a graceful shutdown (SIGTERM; Spring drains), then kills it after {@code grace}. Through the
     * ProcessHandle: Process.destroy would also close the pipes and cut off the service's last log lines.
     */
    void stop(Duration grace) {
        process.toHandle().destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                print("[" + name + "] did not stop within " + grace.toSeconds() + " s; killing it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            lifeline.close();
        } catch (IOException ignored) {
            // Gone already.
        }
    }

    private void printOutput() {
        String prefix = String.format("%-9s", "[" + name + "]");
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    print(prefix + line);
                }
            } catch (IOException closed) {
                // The process ended.
            }
        }, name + "-output");
        pump.setDaemon(true);
        pump.start();
    }
}
