package dev.imagery.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagery.local.emulator.LocalPorts;

/** The launcher as a user runs it: a separate JVM, stopped with SIGTERM or killed with SIGKILL. */
class LauncherTest {

    @TempDir
    Path workDir;

    private Process launcher;
    private Thread outputReader;
    private final List<String> output = new ArrayList<>();

    @AfterEach
    void killLauncher() throws InterruptedException {
        if (launcher != null && launcher.isAlive()) {
            launcher.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void onlyAwsWritesTheEnvFileAndStopsEverythingOnSigterm() throws Exception {
        start("--only=aws");
        awaitLine(line -> line.startsWith("Ctrl-C stops the AWS servers"));
        assertThat(output).anyMatch(line -> line.contains("set -a; . ./imagery-local.env; set +a"));

        Properties env = envFile();
        assertThat(env.stringPropertyNames()).hasSize(10).contains("IMAGERY_QUEUE", "AWS_ENDPOINT_URL_S3");
        for (String key : List.of("AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_S3")) {
            assertThat(LocalPorts.listens(URI.create(env.getProperty(key)).getPort())).as(key).isTrue();
        }
        List<ProcessHandle> children = launcher.descendants().toList();
        assertThat(children).hasSize(3);

        launcher.toHandle().destroy(); // SIGTERM, as Ctrl-C would (Process.destroy would also close our end of its output)
        assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
        outputReader.join(5_000);
        assertAllExit(children);
        assertThat(workDir.resolve("imagery-local.env")).doesNotExist();
        assertThat(output).contains("imagery-local: stopped.");
    }

    @Test
    void aKilledLauncherLeavesNoOrphans() throws Exception {
        start("--only=aws");
        awaitLine(line -> line.startsWith("Ctrl-C stops the AWS servers"));
        List<ProcessHandle> children = launcher.descendants().toList();
        assertThat(children).hasSize(3);

        launcher.destroyForcibly(); // SIGKILL: no shutdown hook runs; the children notice their stdin closing
        assertThat(launcher.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertAllExit(children);
    }

    @Test
    void startsTheServicesWithTheEnvironmentAndWaitsUntilTheyAreReady() throws Exception {
        Path fakeJar = fakeServiceJar();
        int apiPort = freePort();
        int workerPort = freePort();
        start("--api-jar=" + fakeJar, "--worker-jar=" + fakeJar, "--port=" + apiPort, "--worker-port=" + workerPort,
                "--in-memory", "--worker-heap=300m");
        awaitLine(line -> line.equals("Imagery is running on http://localhost:" + apiPort + "   (Ctrl-C stops it)"));

        String queue = envFile().getProperty("IMAGERY_QUEUE");
        assertThat(output).anyMatch(line -> line.startsWith("[api]") && line.contains("fake service on 127.0.0.1:"
                + apiPort + " with IMAGERY_QUEUE=" + queue));
        assertThat(output).anyMatch(line -> line.startsWith("[worker]") && line.contains(":" + workerPort + " ")
                && line.contains("-Xmx300m"));
        assertThat(output).anyMatch(line -> line.startsWith("[api]") && line.contains("-Xmx160m"));
        List<ProcessHandle> children = launcher.descendants().toList();
        assertThat(children).hasSize(5); // three AWS servers, the API and a worker

        launcher.destroyForcibly(); // even then the services go: their -javaagent watches the same pipe
        assertAllExit(children);
    }

    @Test
    void refusesMissingJarsBeforeStartingAnything() throws Exception {
        start("--api-jar=" + workDir.resolve("nope.jar"));
        assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
        outputReader.join(5_000);
        assertThat(launcher.exitValue()).isEqualTo(2);
        assertThat(String.join("\n", output)).contains("nope.jar does not exist");
    }

    private void start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Launcher.class.getName()));
        command.addAll(List.of(args));
        launcher = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        outputReader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(launcher.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    System.out.println("launcher> " + line);
                    synchronized (output) {
                        output.add(line);
                        output.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // Process gone.
            }
        });
        outputReader.setDaemon(true);
        outputReader.start();
    }

    private void awaitLine(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        synchronized (output) {
            while (output.stream().noneMatch(wanted)) {
                assertThat(System.nanoTime()).as("launcher output so far:\n" + String.join("\n", output))
                        .isLessThan(deadline);
                assertThat(launcher.isAlive()).as("launcher alive; output:\n" + String.join("\n", output)).isTrue();
                output.wait(200);
            }
        }
    }

    private Properties envFile() throws IOException {
        Properties env = new Properties();
        try (var reader = Files.newBufferedReader(workDir.resolve("imagery-local.env"))) {
            env.load(reader);
        }
        return env;
    }

    private static void assertAllExit(List<ProcessHandle> processes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (processes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(processes).as("child processes").noneMatch(ProcessHandle::isAlive);
    }

    private Path fakeServiceJar() throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        Path jar = workDir.resolve("fake-service.jar");
        String entry = FakeService.class.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
             InputStream bytes = FakeService.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            bytes.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
