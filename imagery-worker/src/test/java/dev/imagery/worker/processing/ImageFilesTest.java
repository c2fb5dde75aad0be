package dev.imagery.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.imagery.aws.ImageryResources;
import dev.imagery.local.AwsService;
import dev.imagery.local.EmbeddedAws;
import dev.imagery.test.aws.Backend;
import dev.imagery.test.aws.TestAws;
import dev.imagery.test.aws.UseAws;
import dev.imagery.worker.image.SepiaImage;
import dev.imagery.worker.image.SepiaProcessor;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The worker's side of the bucket. A result's two PNGs are stored together and a failure of either fails the
 * store; a hung S3 (SIGSTOP: connections accepted, never answered) fails the worker's attempt within its bound, so
 * the message is retried later instead of the worker hanging while its heartbeat keeps the message invisible.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@UseAws(Backend.EMBEDDED)
class ImageFilesTest {

    @Autowired
    ImageFiles files;

    @Autowired
    S3Client s3;

    @Autowired
    ImageryResources resources;

    @Autowired
    SepiaProcessor sepia;

    @Test
    void thePngAndItsThumbnailAreBothStoredWhenStoreReturns() throws Exception {
        SepiaImage result = sepiaOfABlackPhoto();
        String key = "processed/" + UUID.randomUUID();

        files.store(result, key + ".png", key + "-thumbnail.png");

        assertThat(read(key + ".png")).isEqualTo(result.png());
        assertThat(read(key + "-thumbnail.png")).isEqualTo(result.thumbnailPng()).isNotEqualTo(result.png());
    }

    @Test
    void aThumbnailS3RefusesFailsTheStoreWithS3sOwnErrorOnceThePngIsStored() throws Exception {
        SepiaImage result = sepiaOfABlackPhoto();
        String key = "processed/" + UUID.randomUUID();
        // Over S3's 1024-byte limit for a key: this PUT alone fails (S3 answers KeyTooLongError; S3Proxy an
        // internal error, after the SDK's retries), while the full PNG's succeeds.
        String refusedThumbnailKey = key + "-" + "t".repeat(1024) + ".png";

        // The SDK's exception as the listener's error handler expects it (an AWS failure, retried after a
        // back-off), not wrapped by the thread that stored the thumbnail.
        assertThatThrownBy(() -> files.store(result, key + ".png", refusedThumbnailKey))
                .isInstanceOf(S3Exception.class);
        // Harmless: the message's retry stores both again under the same keys.
        assertThat(read(key + ".png")).isEqualTo(result.png());
    }

    @Test
    void writingTheResultsToAFrozenS3FailsWithinTwiceTheAttemptBound() throws Exception {
        SepiaImage result = sepiaOfABlackPhoto();
        String key = "processed/" + UUID.randomUUID();
        long millis = whileFrozen(() -> assertThatThrownBy(() -> files.store(result, key + ".png", key + "-thumbnail.png"))
                .isInstanceOf(SdkClientException.class));
        // Two attempts of 8 s plus a few kilobytes at 4 MiB/s.
        assertThat(millis).isBetween(8_000L, 25_000L);
    }

    @Test
    void readingAnUploadFromAFrozenS3FailsWithinTwiceTheHeaderBound() {
        String key = "raw/" + UUID.randomUUID() + "/upload";
        s3.putObject(put -> put.bucket(resources.bucket()).key(key), RequestBody.fromString("not a picture"));
        long millis = whileFrozen(() -> assertThatThrownBy(() -> files.sepiaOf(key))
                .isInstanceOf(SdkClientException.class));
        assertThat(millis).isBetween(10_000L, 30_000L);
    }

    /** What sepiaOf relies on: the call's timeout ends when the stream is handed over, not when it is read. */
    @Test
    void aGetObjectTimeoutDoesNotCutOffASlowReaderOfTheBody() throws Exception {
        String key = "raw/" + UUID.randomUUID() + "/slow";
        byte[] body = new byte[4 * 1024 * 1024];
        s3.putObject(put -> put.bucket(resources.bucket()).key(key), RequestBody.fromBytes(body));
        try (InputStream in = s3.getObject(get -> get.bucket(resources.bucket()).key(key)
                .overrideConfiguration(timeouts -> timeouts.apiCallAttemptTimeout(Duration.ofSeconds(1))
                        .apiCallTimeout(Duration.ofSeconds(1))))) {
            assertThat(in.read()).isZero();
            Thread.sleep(2_500);
            assertThat(in.readAllBytes()).hasSize(body.length - 1);
        }
    }

    /** A 1200 × 900 photo: large enough to have a thumbnail of its own. */
    private SepiaImage sepiaOfABlackPhoto() throws Exception {
        ByteArrayOutputStream photo = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(1200, 900, BufferedImage.TYPE_INT_RGB), "png", photo);
        return sepia.process(new ByteArrayInputStream(photo.toByteArray()));
    }

    private byte[] read(String key) throws IOException {
        return s3.getObjectAsBytes(get -> get.bucket(resources.bucket()).key(key)).asByteArray();
    }

    private static long whileFrozen(Runnable call) {
        EmbeddedAws aws = TestAws.embedded();
        aws.freeze(AwsService.S3);
        long started = System.nanoTime();
        try {
            call.run();
            return (System.nanoTime() - started) / 1_000_000;
        } finally {
            aws.thaw(AwsService.S3);
        }
    }
}
