package dev.imagery.local.emulator;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One emulator in its own JVM on a fixed port. It can be stopped and started again on the same port (outage
 * tests), or frozen with SIGSTOP (a hung server). The child's stdin stays open while it should live: closing it
 * (or our death) makes it exit. A child that dies after it was ready without having been asked to stop is
 * reported to the {@link #onCrash crash listener}.
 */
public final class EmulatorProcess {

    /** A small footprint; how much to compile is each server's choice ({@link Emulator.Launch#jvmOptions}). */
    private static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC",
            "-Xms16m", "-Xmx256m", "-Xss512k", "-XX:-UsePerfData", "-Djava.awt.headless=true",
            "-Dfile.encoding=UTF-8");

    private final Emulator emulator;
    private final Emulator.Settings settings;
    private final Path childJar;
    private final Path logFile;
    private Process process;
    private OutputStream lifeline;
    private ClassDataSharing cds;
    /** Set by stop() and signalStop(), cleared by start(): the current child's exit is not a crash. */
    private boolean stopRequested;
    private boolean frozen;
    /** The child that has opened its port; one that dies before that is a failed start, not a crash. */
    private Process readyProcess;
    private Consumer<Process> crashListener;

    public EmulatorProcess(Emulator emulator, Emulator.Settings settings, Path childJar, Path logFile) {
        this.emulator = emulator;
        this.settings = settings;
        this.childJar = childJar;
        this.logFile = logFile;
    }

    public Emulator emulator() {
        return emulator;
    }

    public int port() {
        return settings.port();
    }

    public Path logFile() {
        return logFile;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public synchronized boolean isFrozen() {
        return frozen && isRunning();
    }

    /** Called (on a JDK thread) with the dead child when a ready child exits without stop() having been asked. */
    public synchronized void onCrash(Consumer<Process> listener) {
        this.crashListener = listener;
    }

    /** Spawns the JVM; returns at once (see {@link #awaitReady}). */
    public synchronized void start() {
        if (isRunning()) {
            throw new IllegalStateException(emulator.name() + " is already running");
        }
        try {
            Emulator.Launch launch = emulator.prepare(settings);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(JVM_OPTIONS);
            command.addAll(launch.jvmOptions());
            // A lib/* wildcard is expanded by the java launcher (jars only; the .so files are loaded by path).
            List<String> entries = new ArrayList<>(List.of(childJar.toString()));
            emulator.classpath(settings.lib()).forEach(entry -> entries.add(entry.toString()));
            String classpath = String.join(File.pathSeparator, entries);
            cds = ClassDataSharing.plan(settings.lib(), classpath);
            if (cds != null) {
                command.addAll(cds.jvmOptions());
            }
            command.add("-cp");
            command.add(classpath);
            command.add("dev.imagery.local.child.ChildMain");
            command.add(launch.mainClass());
            command.addAll(launch.arguments());
            Files.writeString(logFile, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .directory(settings.dataDir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            lifeline = process.getOutputStream();
            stopRequested = false;
            frozen = false;
            Process started = process;
            started.onExit().thenAccept(this::exited);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + emulator.name(), e);
        }
    }

    private void exited(Process dead) {
        Consumer<Process> listener;
        synchronized (this) {
            if (dead != process || dead != readyProcess || stopRequested || crashListener == null) {
                return;
            }
            listener = crashListener;
        }
        listener.accept(dead);
    }

    /** Starts the server again unless someone has started or stopped it since {@code dead} exited. */
    public synchronized boolean restartAfterCrash(Process dead) {
        if (dead != process || stopRequested) {
            return false;
        }
        start();
        return true;
    }

    /** Whether anything listens on the server's port (after a crash: someone else may have taken it). */
    public boolean portInUse() {
        return LocalPorts.listens(settings.port());
    }

    /** SIGSTOP: the server keeps its port (the kernel still accepts connections) but never answers. Linux, macOS. */
    public synchronized void freeze() {
        signal("STOP");
        frozen = true;
    }

    /** SIGCONT: a frozen server carries on where it stopped. */
    public synchronized void thaw() {
        signal("CONT");
        frozen = false;
    }

    private void signal(String signal) {
        if (!isRunning()) {
            throw new IllegalStateException(emulator.name() + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed: "
                        + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Waits until the server accepts connections on its port; fails early with its log if it dies. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Process current;
            synchronized (this) {
                current = process;
            }
            if (current == null || !current.isAlive()) {
                throw new IllegalStateException(emulator.name() + " exited during start-up"
                        + (current == null ? "" : " (exit code " + current.exitValue() + ")") + logTail());
            }
            if (LocalPorts.listens(settings.port())) {
                synchronized (this) {
                    if (current == process) {
                        readyProcess = current;
                    }
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(emulator.name() + " did not open port " + settings.port()
                        + " within " + timeout.toSeconds() + " s" + logTail());
            }
            sleep(20);
        }
    }

    /** Asks the child to exit (closes its stdin), waits up to {@code grace}, then kills it. */
    public void stop(Duration grace) {
        Process current;
        synchronized (this) {
            current = process;
            markStopping();
        }
        if (current == null) {
            return;
        }
        boolean clean = false;
        try {
            if (current.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                clean = current.exitValue() == 0;
            } else {
                current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            current.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        if (cds != null) {
            cds.childExited(clean);
        }
        awaitPortClosed(Duration.ofSeconds(5));
    }

    /** The first step of {@link #stop}, for stopping several children at once. */
    public synchronized void signalStop() {
        markStopping();
    }

    /** A frozen child could not notice its stdin closing: it is woken first. */
    private void markStopping() {
        stopRequested = true;
        if (isFrozen()) {
            thaw();
        }
        closeLifeline();
    }

    private void closeLifeline() {
        if (lifeline != null) {
            try {
                lifeline.close();
            } catch (IOException ignored) {
                // The child is already gone.
            }
            lifeline = null;
        }
    }

    private void awaitPortClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (LocalPorts.listens(settings.port()) && System.nanoTime() < deadline) {
            sleep(20);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return "; last lines of " + logFile + ":\n  "
                    + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "; see " + logFile;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
