package dev.imagery.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.imagery.test.corpus.Corpus;
import tools.jackson.databind.JsonNode;

/**
 * The services as an operator runs them: {@code imagery-local.jar --only=aws} writes
 * imagery-local.env, and the API and worker jars, started on their own in that directory, pick it
 * up. The API runs with a 96 MB heap, so a 200 MB upload can only succeed if it is streamed.
 */
class SeparateServicesTest {

    private static final long LARGE_UPLOAD = 200L * 1024 * 1024;
    private static final String API_HEAP = "-Xmx96m";

    private static final List<Process> processes = new ArrayList<>();
    private static Path workDir;
    private static Process api;
    private static ImageryClient client;

    @BeforeAll
    static void startAwsThenTheTwoJarsOnTheirOwn() throws Exception {
        Path repository = RunningImagery.repository();
        workDir = Files.createDirectories(Path.of("target")).resolve("separate-" + System.currentTimeMillis());
        Files.createDirectories(workDir);
        start(workDir.resolve("aws.log"), java(), "-jar", repository.resolve("imagery-local/target/imagery-local.jar").toString(),
                "--only=aws", "--in-memory");
        awaitFile(workDir.resolve("imagery-local.env"));

        int apiPort = freePort();
        api = start(workDir.resolve("api.log"), java(), API_HEAP, "-jar",
                repository.resolve("imagery-api/target/imagery-api.jar").toString(),
                "--server.port=" + apiPort, "--IMAGERY_MAX_UPLOAD_SIZE=250MB");
        int workerPort = freePort();
        start(workDir.resolve("worker.log"), java(), "-jar", repository.resolve("imagery-worker/target/imagery-worker.jar").toString(),
                "--server.port=" + workerPort);
        awaitReady(URI.create("http://127.0.0.1:" + apiPort + "/actuator/health/readiness"));
        awaitReady(URI.create("http://127.0.0.1:" + workerPort + "/actuator/health/readiness"));
        client = new ImageryClient(URI.create("http://127.0.0.1:" + apiPort + "/"));
    }

    @AfterAll
    static void stopAll() {
        // Services first, the AWS servers last, each given time for a graceful shutdown.
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void theJarsStartedOnTheirOwnProcessAPhotoThroughTheSharedEnvironment() {
        String id = client.createId();
        assertThat(client.upload(id, Corpus.photo("small_0.3MP_chelsea.png"), "application/json").statusCode()).isEqualTo(200);

        assertThat(client.awaitState(id, Duration.ofSeconds(60), "processed").get("processedImage").asString()).startsWith("http");
    }

    @Test
    void a200MegabyteUploadStreamsThroughAnApiWithA96MegabyteHeap() {
        String id = client.createId();

        HttpResponse<String> upload = client.upload(id, BodyPublishers.ofInputStream(() -> ImageryClient.zeros(LARGE_UPLOAD)), "large.raw",
                "application/json");

        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
        JsonNode image = ImageryClient.json(upload);
        assertThat(image.get("state").asString()).isEqualTo("uploaded");
        assertThat(api.isAlive()).isTrue();
        System.out.printf("API peak RSS after a %d MB upload with %s: %d MB%n", LARGE_UPLOAD >> 20, API_HEAP, peakRssMegabytes(api));
        // Zeros are no picture: the worker must say so, not choke on 200 MB.
        assertThat(client.awaitState(id, Duration.ofSeconds(120), "failed").get("failureReason").asString()).isNotBlank();
    }

    private static Process start(Path log, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        return process;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static long peakRssMegabytes(Process process) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith("VmHWM:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
                    .findFirst().orElse(-1);
        } catch (IOException e) {
            return -1; // not Linux: the figure is informative only
        }
    }

    private static void awaitFile(Path file) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(120);
        while (!Files.exists(file)) {
            assertThat(Instant.now()).as("%s written in time", file).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static void awaitReady(URI readiness) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plusSeconds(180);
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(readiness).build(), BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertThat(Instant.now()).as("%s ready in time", readiness).isBefore(deadline);
            Thread.sleep(250);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
