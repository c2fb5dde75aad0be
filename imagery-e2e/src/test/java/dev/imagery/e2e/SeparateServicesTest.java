package dev.imagery.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.imagery.local.emulator.LocalPorts;
import dev.imagery.test.image.ExifJpeg;
import dev.imagery.test.corpus.Corpus;
import tools.jackson.databind.JsonNode;

/**
 * The services as an operator runs them: {@code imagery-local.jar --only=aws} writes
 * imagery-local.env, and the API and worker jars, started on their own in that directory, pick it
 * up. The API runs with a 96 MB heap, so a 200 MB upload can only succeed if it is streamed; the worker with the
 * launcher's 208 MB, where the heap, not the pixel limit, bounds the largest image it can take. Both run in
 * Spring AOT mode, as the AMI's units run them (the other end-to-end tests run them without it).
 */
class SeparateServicesTest {

    private static final long LARGE_UPLOAD = 200L * 1024 * 1024;
    private static final String API_HEAP = "-Xmx96m";
    private static final String WORKER_HEAP = "-Xmx208m";

    private static final Duration READY = Duration.ofSeconds(180);
    /** The bean definitions precomputed by the build (process-aot), as in packer/files/*.service. */
    private static final String SPRING_AOT = "-Dspring.aot.enabled=true";

    /** Started in this order, stopped in the reverse: the services first, the AWS servers last. */
    private static final List<ServiceJar> services = new ArrayList<>();
    private static ServiceJar api;
    private static ServiceJar worker;
    private static ImageryClient client;

    @BeforeAll
    static void startAwsThenTheTwoJarsOnTheirOwn() throws Exception {
        Path workDir = Files.createDirectories(Path.of("target", "separate-" + System.currentTimeMillis()));
        start(new ServiceJar("aws", ServiceJar.built("imagery-local"), 0, workDir, List.of(), Map.of(),
                List.of("--only=aws", "--in-memory")));
        awaitFile(workDir.resolve("imagery-local.env"));

        List<Integer> ports = LocalPorts.allocate(2);
        api = start(new ServiceJar("api", ServiceJar.built("imagery-api"), ports.get(0), workDir,
                List.of(API_HEAP, SPRING_AOT), Map.of(), List.of("--server.port=" + ports.get(0), "--IMAGERY_MAX_UPLOAD_SIZE=250MB")));
        worker = start(new ServiceJar("worker", ServiceJar.built("imagery-worker"), ports.get(1), workDir,
                List.of(WORKER_HEAP, SPRING_AOT), Map.of(), List.of("--server.port=" + ports.get(1))));
        api.awaitReady(READY);
        worker.awaitReady(READY);
        client = new ImageryClient(api.baseUrl());
    }

    @AfterAll
    static void stopAll() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).terminate(Duration.ofSeconds(30)); // time for a graceful shutdown
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
        System.out.printf("API peak RSS after a %d MB upload with %s: %d MB%n", LARGE_UPLOAD >> 20, API_HEAP, peakRssMegabytes(api.process()));
        // No array of 200 MB fits the worker's heap: it must say so, not run out of memory on every try.
        assertThat(client.awaitState(id, Duration.ofSeconds(120), "failed").get("failureReason").asString())
                .startsWith("file too large: 209,715,200 bytes");
    }

    @Test
    void anImageTooLargeForTheWorkersHeapFailsWithItsReason() throws IOException {
        // 46 MP, under the 50 MP limit, but its raster alone would take 138 MB of the worker's 208 MB heap.
        BufferedImage image = new BufferedImage(9024, 5075, BufferedImage.TYPE_BYTE_GRAY);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        String id = client.createId();

        client.upload(id, BodyPublishers.ofByteArray(png.toByteArray()), "large.png", "application/json");

        assertThat(client.awaitState(id, Duration.ofSeconds(60), "failed").get("failureReason").asString())
                .startsWith("image too large: 9024x5075 pixels exceeds the limit of ");
        assertThat(worker.isAlive()).isTrue();
    }

    @Test
    void aPortraitPhotoAtTheHeapsLimitComesOutUpright() throws IOException {
        // A phone's portrait photo, 29 MP, stored landscape with EXIF orientation 6. Turned into a second raster, it
        // took 2 × 88 MB of the worker's 208 MB heap, and ran out of memory on every delivery.
        BufferedImage photo = ImageIO.read(Corpus.photo("large_8.0MP_iphone_hdr_NO.jpg").toFile());
        BufferedImage stored = new BufferedImage(6240, 4680, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = stored.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(photo, 0, 0, 6240, 4680, null);
        g.dispose();
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(stored, "jpeg", jpeg);
        String id = client.createId();

        client.upload(id, BodyPublishers.ofByteArray(ExifJpeg.withOrientation(jpeg.toByteArray(), 6)), "portrait.jpg",
                "application/json");

        JsonNode processed = client.awaitState(id, Duration.ofSeconds(120), "processed");
        byte[] png = client.download(URI.create(processed.get("processedImage").asString())).body();
        ByteBuffer header = ByteBuffer.wrap(png, 16, 8); // IHDR: width, height
        assertThat(header.getInt()).isEqualTo(4680);
        assertThat(header.getInt()).isEqualTo(6240);
        assertThat(worker.isAlive()).isTrue();
    }

    @Test
    void bothServicesRunTheBeanDefinitionsTheBuildPrecomputed() {
        for (ServiceJar service : List.of(api, worker)) {
            assertThat(service.count(line -> line.contains("Starting AOT-processed"))).as(service.name()).isEqualTo(1);
        }
    }

    private static ServiceJar start(ServiceJar service) {
        services.add(service);
        return service.start();
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
}
