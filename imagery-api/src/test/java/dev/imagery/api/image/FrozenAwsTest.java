package dev.imagery.api.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
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

import dev.imagery.image.ImageRepository;
import dev.imagery.local.AwsService;
import dev.imagery.local.EmbeddedAws;
import dev.imagery.test.aws.Backend;
import dev.imagery.test.aws.TestAws;
import dev.imagery.test.aws.UseAws;

/**
 * A hung S3, SQS or DynamoDB (SIGSTOP: connections accepted, never answered) makes a request a 503 problem+json
 * with Retry-After well within a load balancer's 60 s idle timeout, instead of a request that never ends.
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
    void aReadWhileDynamoDbIsFrozenIsA503WithRetryAfterWithinTwentySeconds() {
        UUID id = images.create().getId();
        // Three attempts, each ended by the DynamoDB client's 4 s socket timeout.
        assertIsA503Within(AwsService.DYNAMODB, 11_000, 20_000,
                () -> client().get().uri("/image/{id}", id).retrieve().toEntity(String.class));
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
