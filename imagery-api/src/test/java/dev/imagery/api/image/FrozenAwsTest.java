package dev.imagery.api.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.client.RestClient;

import dev.imagery.image.Image;
import dev.imagery.image.ImageKeys;
import dev.imagery.image.ImageRepository;
import dev.imagery.image.Transition;
import dev.imagery.local.AwsService;
import dev.imagery.local.EmbeddedAws;
import dev.imagery.test.aws.Backend;
import dev.imagery.test.aws.TestAws;
import dev.imagery.test.aws.UseAws;

/**
 * A hung S3, SQS or DynamoDB (SIGSTOP: connections accepted, never answered) makes a request a 503 problem+json
 * with Retry-After well within a load balancer's 60 s idle timeout, instead of a request that never ends;
 * finished images the API has read before are still shown.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"IMAGERY_MAX_UPLOAD_SIZE=2MB", "imagery.sweeper.every=PT1H"})
@UseAws(Backend.EMBEDDED)
class FrozenAwsTest {

    @LocalServerPort
    int port;

    @Autowired
    ImageRepository images;

    @Test
    void anUploadWhileS3IsFrozenIsA503WithRetryAfterWithinTwentyFiveSeconds() {
        UUID id = images.create().getId();
        assertIsA503Within(AwsService.S3, 8_000, 25_000, () -> upload(id, new byte[200_000]));
    }

    @Test
    void anUploadWhileSqsIsFrozenIsA503WithRetryAfterWithinFifteenSeconds() {
        UUID id = images.create().getId();
        assertIsA503Within(AwsService.SQS, 9_000, 15_000, () -> upload(id, new byte[200_000]));
    }

    @Test
    void aReadOfAnImageInFlightWhileDynamoDbIsFrozenIsA503WithRetryAfterWithinTwentySeconds() {
        UUID id = images.create().getId();
        assertThat(read(id).getStatusCode()).isEqualTo(HttpStatus.OK); // read before: in flight, so not kept
        // Three attempts, each ended by the DynamoDB client's 4 s socket timeout.
        assertIsA503Within(AwsService.DYNAMODB, 11_000, 20_000, () -> read(id));
    }

    @Test
    void finishedImagesAreStillShownWhileDynamoDbIsFrozen() {
        Image uploaded = images.transition(images.create(), Transition.UPLOAD,
                image -> image.setRawS3Key(ImageKeys.newRawKey(image.getId())));
        Image processed = images.transition(uploaded, Transition.PROCESS, image -> {
            image.setProcessedS3Key(ImageKeys.processedKey(image.getRawS3Key()));
            image.setThumbnailS3Key(ImageKeys.thumbnailKey(image.getRawS3Key()));
        });
        Image failed = images.transition(images.transition(images.create(), Transition.UPLOAD,
                image -> image.setRawS3Key(ImageKeys.newRawKey(image.getId()))),
                Transition.FAIL, image -> image.setFailureReason("not an image"));
        List<ResponseEntity<String>> before = List.of(read(processed.getId()), read(failed.getId()));

        EmbeddedAws aws = TestAws.embedded();
        aws.freeze(AwsService.DYNAMODB);
        List<ResponseEntity<String>> during;
        long millis;
        try {
            long started = System.nanoTime();
            during = List.of(read(processed.getId()), read(failed.getId()));
            millis = (System.nanoTime() - started) / 1_000_000;
        } finally {
            aws.thaw(AwsService.DYNAMODB);
        }
        assertThat(before).allSatisfy(answer -> assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK));
        assertThat(during).extracting(ResponseEntity::getBody).containsExactly(
                before.get(0).getBody(), before.get(1).getBody());
        assertThat(during.get(0).getBody()).contains("\"state\":\"processed\"");
        assertThat(during.get(1).getBody()).contains("\"state\":\"failed\"");
        assertThat(millis).isLessThan(2_000); // no DynamoDB call waited for its timeout
    }

    private void assertIsA503Within(AwsService service, long atLeastMillis, long atMostMillis,
            Supplier<ResponseEntity<String>> request) {
        EmbeddedAws aws = TestAws.embedded();
        aws.freeze(service);
        ResponseEntity<String> answer;
        long millis;
        try {
            long started = System.nanoTime();
            answer = request.get();
            millis = (System.nanoTime() - started) / 1_000_000;
        } finally {
            aws.thaw(service);
        }
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
        assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
        // At least: the bound, not some quicker failure, ended the call.
        assertThat(millis).isBetween(atLeastMillis, atMostMillis);
    }

    private ResponseEntity<String> read(UUID id) {
        return client().get().uri("/image/{id}", id).retrieve().toEntity(String.class);
    }

    private ResponseEntity<String> upload(UUID id, byte[] content) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("file", new ByteArrayResource(content) {
            @Override
            public String getFilename() {
                return "frozen.png";
            }
        }).contentType(MediaType.IMAGE_PNG);
        return client().post().uri("/image/{id}/upload", id)
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .accept(MediaType.APPLICATION_JSON)
                .body(body.build())
                .retrieve()
                .toEntity(String.class);
    }

    private RestClient client() {
        return RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .requestFactory(new JdkClientHttpRequestFactory(HttpClient.newHttpClient()))
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build();
    }
}
