package dev.imagery.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.imagery.test.corpus.Corpus;
import dev.imagery.test.image.SepiaAssertions;
import tools.jackson.databind.JsonNode;

/**
 * The whole system as a user meets it: the launcher's processes (embedded AWS servers, the API jar,
 * the worker jar), driven over real HTTP like curl and the original Imagery page.
 */
class ImageryFlowTest {

    private static final Duration PROCESSING = Duration.ofSeconds(60);

    private final RunningImagery imagery = RunningImagery.get();
    private final ImageryClient client = new ImageryClient(imagery);

    static Stream<String> photos() {
        return Stream.of(
                "photos/small_0.3MP_chelsea.png",
                "photos/small_1.3MP_GreenMeadow_progressive.jpg",
                "photos/medium_4.1MP_LadyBird.jpg",
                "edge/gif_Crash_test.gif",
                "edge/bmp_shira_bird8.bmp",
                "edge/grayscale_concert.jpg");
    }

    @ParameterizedTest
    @MethodSource("photos")
    void anUploadedPhotoIsProcessedIntoASepiaPngOfTheSameSize(String photo) throws IOException {
        Path file = Corpus.path(photo);
        String id = client.createId();

        HttpResponse<String> upload = client.upload(id, file, "application/json");
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(200);
        assertThat(ImageryClient.json(upload).get("state").asString()).isEqualTo("uploaded");

        JsonNode processed = client.awaitState(id, PROCESSING, "processed", "failed");
        assertThat(processed.get("state").asString()).as(processed.toString()).isEqualTo("processed");
        assertThat(processed.get("processedS3Key").asString()).startsWith("processed/" + id + "/");

        HttpResponse<byte[]> png = client.download(URI.create(processed.get("processedImage").asString()));
        assertThat(png.statusCode()).isEqualTo(200);
        BufferedImage original = Corpus.read(file);
        BufferedImage sepia = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertThat(sepia.getWidth()).isEqualTo(original.getWidth());
        assertThat(sepia.getHeight()).isEqualTo(original.getHeight());
        SepiaAssertions.assertSepiaOf(original, sepia);
    }

    @Test
    void theOriginalImageryPageWorksUnchanged() {
        // The original page posts an empty form, then submits a multipart form from the browser.
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(imagery.uri("image"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.noBody()));
        assertThat(created.statusCode()).isIn(200, 201);
        String id = ImageryClient.json(created).get("id").asString();
        assertThat(ImageryClient.json(created).get("state").asString()).isEqualTo("created");

        HttpResponse<String> upload = client.upload(id, Corpus.path("photos/small_0.3MP_chelsea.png"),
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        assertThat(upload.statusCode()).isEqualTo(303);
        assertThat(upload.headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/#view=" + id));
        assertThat(client.awaitState(id, PROCESSING, "processed").get("processedImage").asString()).startsWith("http");
    }

    @Test
    void aFileThatIsNotAnImageEndsFailedWithAReasonInsteadOfAnError() {
        String id = client.createId();
        HttpResponse<String> upload = client.upload(id, BodyPublishers.ofString("just some text, not a picture"),
                "notes.txt", "application/json");
        assertThat(upload.statusCode()).isEqualTo(200);

        JsonNode failed = client.awaitState(id, PROCESSING, "failed", "processed");
        assertThat(failed.get("state").asString()).isEqualTo("failed");
        assertThat(failed.get("failureReason").asString()).isNotBlank();
    }

    @Test
    void aDecompressionBombIsRefusedByItsPixelCount() {
        String id = client.createId();
        client.upload(id, Corpus.path("edge/bomb_65536x65536.png"), "application/json");

        JsonNode failed = client.awaitState(id, PROCESSING, "failed", "processed");
        assertThat(failed.get("state").asString()).isEqualTo("failed");
        assertThat(failed.get("failureReason").asString()).containsIgnoringCase("pixels");
    }

    @Test
    void anUploadOverTheLimitIs413AndTheImageCanStillBeUploaded() {
        String id = client.createId();
        long overLimit = 51L * 1024 * 1024;
        HttpResponse<String> tooLarge = client.upload(id, BodyPublishers.ofInputStream(() -> ImageryClient.zeros(overLimit)), "huge.bin", "application/json");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        assertThat(client.image(id).get("state").asString()).isEqualTo("created");
        assertThat(client.upload(id, Corpus.path("photos/small_0.3MP_chelsea.png"), "application/json").statusCode())
                .isEqualTo(200);
    }

    @Test
    void badIdsAndBadStatesAreClearClientErrors() {
        HttpResponse<String> malformed = client.get("not-a-uuid");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(ImageryClient.json(malformed).get("detail").asString()).contains("not-a-uuid");

        HttpResponse<String> unknown = client.get("3f2b8c1e-5d4a-4b7e-9c3f-1a2b3c4d5e6f");
        assertThat(unknown.statusCode()).isEqualTo(404);

        String id = client.createId();
        client.upload(id, Corpus.path("photos/small_0.3MP_chelsea.png"), "application/json");
        client.awaitState(id, PROCESSING, "processed");
        HttpResponse<String> late = client.upload(id, Corpus.path("photos/small_0.3MP_chelsea.png"), "application/json");
        assertThat(late.statusCode()).isEqualTo(409);
        assertThat(ImageryClient.json(late).get("detail").asString()).contains("already processed");
    }
}
