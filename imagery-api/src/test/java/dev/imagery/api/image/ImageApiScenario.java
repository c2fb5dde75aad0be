package dev.imagery.api.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpClient.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.client.RestClient;

import dev.imagery.aws.ImageryResources;
import dev.imagery.image.Image;
import dev.imagery.image.ImageRepository;
import dev.imagery.image.Transition;
import dev.imagery.test.aws.Backend;
import dev.imagery.test.aws.UseAws;
import dev.imagery.test.corpus.Corpus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.Message;
import tools.jackson.databind.JsonNode;

/**
 * The API in-process over real HTTP, against real AWS-compatible servers (no worker runs here, so
 * the messages the API sends stay on the queue to be inspected). Runs on the embedded stack, and on
 * LocalStack where Docker is available.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"IMAGERY_MAX_UPLOAD_SIZE=2MB", "imagery.sweeper.every=PT1H"})
abstract class ImageApiScenario {

    @LocalServerPort
    int port;

    @Autowired
    ImageRepository images;

    @Autowired
    S3Client s3;

    @Autowired
    SqsAsyncClient sqs;

    @Autowired
    ImageryResources resources;

    RestClient http() {
        return RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .requestFactory(new JdkClientHttpRequestFactory(HttpClient.newBuilder().followRedirects(Redirect.NEVER).build()))
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build();
    }

    @Test
    void anEmptyPostCreatesAnImageInStateCreated() {
        ResponseEntity<JsonNode> created = http().post().uri("/image").retrieve().toEntity(JsonNode.class);

        assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        JsonNode body = created.getBody();
        assertThat(body.get("state").asString()).isEqualTo("created");
        assertThat(body.get("version").asLong()).isZero();
        assertThat(created.getHeaders().getLocation()).hasToString("/image/" + body.get("id").asString());
        assertThat(images.find(UUID.fromString(body.get("id").asString()))).isPresent();
    }

    @Test
    void getShowsEveryFieldOfTheImage() {
        Image image = images.create();

        JsonNode body = http().get().uri("/image/{id}", image.getId()).retrieve().body(JsonNode.class);

        assertThat(body.propertyNames()).contains("id", "version", "state", "created", "rawS3Key",
                "processedS3Key", "processedImage", "failureReason");
        assertThat(body.get("created").asLong()).isEqualTo(image.getCreated());
    }

    @Test
    void anUploadIsStoredInS3RecordedAsUploadedAndHandedToTheQueue() throws Exception {
        Path photo = Corpus.photo("small_0.3MP_chelsea.png");
        Image image = images.create();

        ResponseEntity<JsonNode> uploaded = upload(image.getId(), new FileSystemResource(photo), MediaType.APPLICATION_JSON);

        assertThat(uploaded.getStatusCode()).isEqualTo(HttpStatus.OK);
        JsonNode body = uploaded.getBody();
        assertThat(body.get("state").asString()).isEqualTo("uploaded");
        assertThat(body.get("version").asLong()).isEqualTo(1);
        String rawKey = body.get("rawS3Key").asString();
        assertThat(rawKey).startsWith("raw/" + image.getId() + "/");
        assertThat(s3.getObjectAsBytes(get -> get.bucket(resources.bucket()).key(rawKey)).asByteArray())
                .isEqualTo(Files.readAllBytes(photo));
        assertThat(messagesFor(image.getId())).hasSize(1);
    }

    @Test
    void aBrowserFormUploadIsRedirectedToTheImagesPage() {
        Image image = images.create();

        ResponseEntity<JsonNode> uploaded = upload(image.getId(), new FileSystemResource(Corpus.photo("small_0.3MP_chelsea.png")),
                MediaType.TEXT_HTML);

        assertThat(uploaded.getStatusCode()).isEqualTo(HttpStatus.SEE_OTHER);
        assertThat(uploaded.getHeaders().getLocation()).hasToString("/#view=" + image.getId());
    }

    @Test
    void aRetriedUploadSucceedsAndSendsAgain() {
        Image image = images.create();
        FileSystemResource photo = new FileSystemResource(Corpus.photo("small_0.3MP_chelsea.png"));

        upload(image.getId(), photo, MediaType.APPLICATION_JSON);
        ResponseEntity<JsonNode> retried = upload(image.getId(), photo, MediaType.APPLICATION_JSON);

        assertThat(retried.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(retried.getBody().get("version").asLong()).isEqualTo(2);
        assertThat(messagesFor(image.getId())).hasSize(2);
    }

    @Test
    void anUploadAfterProcessingIsAConflictAndChangesNothing() {
        Image image = images.create();
        Image uploaded = images.transition(image, Transition.UPLOAD, i -> i.setRawS3Key("raw/" + image.getId() + "/x"));
        Image processed = images.transition(uploaded, Transition.PROCESS, i -> i.setProcessedS3Key("processed/" + image.getId() + "/x.png"));

        ResponseEntity<JsonNode> late = upload(image.getId(), new ByteArrayResource(new byte[] {1, 2, 3}) {
            @Override
            public String getFilename() {
                return "late.png";
            }
        }, MediaType.APPLICATION_JSON);

        assertThat(late.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(late.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(late.getBody().get("detail").asString()).contains("already processed");
        assertThat(images.find(image.getId()).orElseThrow().getVersion()).isEqualTo(processed.getVersion());
    }

    @Test
    void anUploadOverTheLimitIs413ProblemJsonAndTheImageStaysCreated() {
        Image image = images.create();

        ResponseEntity<JsonNode> tooLarge = upload(image.getId(), named(new byte[3 * 1024 * 1024], "large.jpg"), MediaType.APPLICATION_JSON);

        assertThat(tooLarge.getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(tooLarge.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(images.find(image.getId()).orElseThrow().getState()).hasToString("created");
    }

    @Test
    void malformedAndUnknownIdsAreClientErrors() {
        // Tomcat itself refuses the encoded slashes, before any code of ours sees the id.
        ResponseEntity<String> malformed = http().get().uri("/image/{id}", "../../etc/passwd").retrieve().toEntity(String.class);
        ResponseEntity<JsonNode> unknown = http().get().uri("/image/{id}", UUID.randomUUID()).retrieve().toEntity(JsonNode.class);
        ResponseEntity<JsonNode> uploadToUnknown = upload(UUID.randomUUID(),
                new FileSystemResource(Corpus.photo("small_0.3MP_chelsea.png")), MediaType.APPLICATION_JSON);

        assertThat(malformed.getStatusCode().value()).isIn(400, 404);
        assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(unknown.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(uploadToUnknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(http().get().uri("/image/not-a-uuid").retrieve().toEntity(JsonNode.class).getStatusCode())
                .isEqualTo(HttpStatus.BAD_REQUEST);
    }

    @Test
    void uploadsWithoutAFileAreBadRequests() {
        Image image = images.create();

        ResponseEntity<JsonNode> notMultipart = http().post().uri("/image/{id}/upload", image.getId())
                .contentType(MediaType.APPLICATION_OCTET_STREAM).body(new byte[] {1}).retrieve().toEntity(JsonNode.class);
        ResponseEntity<JsonNode> empty = upload(image.getId(), named(new byte[0], "empty.png"), MediaType.APPLICATION_JSON);

        assertThat(notMultipart.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(empty.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(images.find(image.getId()).orElseThrow().getVersion()).isZero();
        assertThat(messagesFor(image.getId())).isEmpty();
    }

    @Test
    void theUploadPageAndTheReadinessProbeAreServed() {
        ResponseEntity<String> page = http().get().uri("/").retrieve().toEntity(String.class);
        ResponseEntity<String> ready = http().get().uri("/actuator/health/readiness").retrieve().toEntity(String.class);

        assertThat(page.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(page.getBody()).contains("<form");
        assertThat(ready.getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void theUploadPageTellsAndChecksTheLimitThisServerEnforces() {
        String page = http().get().uri("/").retrieve().body(String.class);
        ResponseEntity<JsonNode> overLimit = upload(images.create().getId(), named(new byte[2 * 1024 * 1024 + 1], "over.jpg"),
                MediaType.APPLICATION_JSON);

        // IMAGERY_MAX_UPLOAD_SIZE=2MB (above), not the 50 MB default: the page carries the figure the API refuses at.
        assertThat(page).contains("data-max-bytes=\"2097152\"", "data-max-size=\"2 MB\"", "up to 2 MB.")
                .doesNotContain("{{", "50 MB");
        assertThat(overLimit.getStatusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        assertThat(http().get().uri("/index.html").retrieve().body(String.class)).isEqualTo(page);
    }

    ResponseEntity<JsonNode> upload(UUID id, org.springframework.core.io.Resource file, MediaType accept) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", file);
        return http().post().uri("/image/{id}/upload", id)
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .accept(accept)
                .body(body.build())
                .retrieve()
                .toEntity(JsonNode.class);
    }

    /** Drains the queue and keeps the messages about {@code id} (no worker runs in these tests). */
    List<Message> messagesFor(UUID id) {
        String queueUrl = sqs.getQueueUrl(get -> get.queueName(queueName())).join().queueUrl();
        List<Message> received = new ArrayList<>();
        List<Message> batch;
        do {
            batch = sqs.receiveMessage(receive -> receive.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .join().messages();
            received.addAll(batch);
            batch.forEach(m -> sqs.deleteMessage(delete -> delete.queueUrl(queueUrl).receiptHandle(m.receiptHandle())).join());
        } while (!batch.isEmpty());
        return received.stream().filter(m -> m.body().contains(id.toString())).toList();
    }

    private String queueName() {
        String queue = resources.queue();
        return queue.substring(queue.lastIndexOf('/') + 1);
    }

    private static ByteArrayResource named(byte[] content, String name) {
        return new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return name;
            }
        };
    }
}

@UseAws(Backend.EMBEDDED)
class ImageApiOnEmbeddedAwsTest extends ImageApiScenario {
}

@UseAws(Backend.LOCALSTACK)
class ImageApiOnLocalStackTest extends ImageApiScenario {
}
