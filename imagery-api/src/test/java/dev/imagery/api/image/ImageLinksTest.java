package dev.imagery.api.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.imagery.aws.ImageryResources;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** The SDK's real presigner: signing is local, so no S3 is needed to see which links come out. */
class ImageLinksTest {

    private final S3Presigner presigner = S3Presigner.builder()
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("imagery", "secret")))
            .endpointOverride(URI.create("http://127.0.0.1:9000"))
            .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
            .build();
    private final ImageryResources resources = new ImageryResources("table", "bucket", "queue", "dlq");

    @AfterEach
    void close() {
        presigner.close();
    }

    @Test
    void aPollingPageGetsTheSameLinkSoItsBrowserCanCacheThePicture() {
        ImageLinks links = new ImageLinks(presigner, resources, Duration.ofHours(1));

        URI first = links.download("processed/a/b.png");

        assertThat(first.toString()).contains("/bucket/processed/a/b.png").contains("X-Amz-Expires=3600");
        assertThat(links.download("processed/a/b.png")).isEqualTo(first);
        assertThat(links.download("processed/a/c.png")).isNotEqualTo(first);
    }

    @Test
    void aLinkIsSignedAfreshOnceASixthOfItsLifetimeHasPassed() throws InterruptedException {
        // Signatures carry the time to the second: a lifetime of 12 s means reuse for 2 s.
        ImageLinks links = new ImageLinks(presigner, resources, Duration.ofSeconds(12));

        URI first = links.download("raw/a/b");
        Thread.sleep(2_600);

        assertThat(links.download("raw/a/b")).isNotEqualTo(first);
    }

    @Test
    void thereIsNoLinkForAnObjectThatDoesNotExistYet() {
        assertThat(new ImageLinks(presigner, resources, Duration.ofHours(1)).download(null)).isNull();
    }
}
