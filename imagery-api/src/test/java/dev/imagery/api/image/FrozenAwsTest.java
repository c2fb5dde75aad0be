package dev.imagery.api.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.util.UUID;

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
 * A hung S3 or SQS (SIGSTOP: connections accepted, never answered) makes an upload a 503 problem+json with
 * Retry-After well within a load balancer's 60 s idle timeout, instead of a request that never ends.
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
        assertUploadIsA503Within(AwsService.S3, 8_000, 25_000);
    }

    @Test
    void anUploadWhileSqsIsFrozenIsA503WithRetryAfterWithinFifteenSeconds() {
        assertUploadIsA503Within(AwsService.SQS, 9_000, 15_000);
    }

    private void assertUploadIsA503Within(AwsService service, long atLeastMillis, long atMostMillis) {
        UUID id = images.create().getId();
        EmbeddedAws aws = TestAws.embedded();
        aws.freeze(service);
        ResponseEntity<String> answer;
        long millis;
        try {
            long started = System.nanoTime();
            answer = upload(id, new byte[200_000]);
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
        return RestClient.builder().baseUrl("http://127.0.0.1:" + port)
                .requestFactory(new JdkClientHttpRequestFactory(HttpClient.newHttpClient()))
                .defaultStatusHandler(status -> true, (request, response) -> { })
                .build()
                .post().uri("/image/{id}/upload", id)
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .accept(MediaType.APPLICATION_JSON)
                .body(body.build())
                .retrieve()
                .toEntity(String.class);
    }
}
