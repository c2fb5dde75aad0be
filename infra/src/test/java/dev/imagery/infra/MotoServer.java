package dev.imagery.infra;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A moto_server on 127.0.0.1 and a free port (see {@link SharedMoto}). Skips the test when moto is
 * not installed; fails when it is installed but does not start.
 */
final class MotoServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static MotoServer start() {
        List<String> command = new ArrayList<>();
        if (Cli.onPath("moto_server")) {
            command.add("moto_server");
        } else if (Cli.onPath("python3")
                && Cli.run(List.of("python3", "-c", "import moto.server"), Map.of(), Duration.ofMinutes(1)).ok()) {
            command.addAll(List.of("python3", "-m", "moto.server"));
        } else {
            Cli.skip("moto is not installed (no moto_server on the PATH, no python3 module moto.server)");
        }
        int port = freePort();
        command.addAll(List.of("-H", "127.0.0.1", "-p", String.valueOf(port)));
        // A bash parent that stops moto when its stdin, a pipe from this JVM, closes: moto dies with
        // the JVM even when Maven is killed hard and no shutdown hook runs.
        List<String> guarded = new ArrayList<>(List.of("bash", "-c",
                "\"$@\" & child=$!; trap 'kill $child 2>/dev/null' EXIT; cat >/dev/null", "moto-guard"));
        guarded.addAll(command);
        try {
            Path log = Files.createTempFile("moto-server-", ".log");
            Process process = new ProcessBuilder(guarded)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoServer server = new MotoServer(process, port, log);
            server.awaitListening(Duration.ofSeconds(60));
            return server;
        } catch (IOException e) {
            throw new AssertionError("Could not start " + command + ": " + e.getMessage(), e);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("moto_server exited with " + process.exitValue() + ":\n" + logText());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        close();
        throw new AssertionError("moto_server did not listen on " + endpoint() + " within " + timeout + ":\n" + logText());
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        List<ProcessHandle> processes = new ArrayList<>(process.descendants().toList());
        processes.add(process.toHandle());
        processes.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : processes) {
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException stillAlive) {
                handle.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                handle.destroyForcibly();
            }
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a temporary file; nothing depends on it
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("No free port on 127.0.0.1", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for moto_server", e);
        }
    }
}
