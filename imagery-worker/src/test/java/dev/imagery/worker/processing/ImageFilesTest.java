package dev.imagery.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.imagery.aws.ImageryResources;
import dev.imagery.test.aws.Backend;
import dev.imagery.test.aws.UseAws;
import dev.imagery.worker.image.SepiaImage;
import dev.imagery.worker.image.SepiaProcessor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Storing a result: the full PNG and its thumbnail go to S3 together, and a failure of either fails the store. */
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
        SepiaImage result = sepiaOf(1200, 900);
        String key = "processed/" + UUID.randomUUID();

        files.store(result, key + ".png", key + "-thumbnail.png");

        assertThat(read(key + ".png")).isEqualTo(result.png());
        assertThat(read(key + "-thumbnail.png")).isEqualTo(result.thumbnailPng()).isNotEqualTo(result.png());
    }

    @Test
    void aThumbnailS3RefusesFailsTheStoreWithS3sOwnErrorOnceThePngIsStored() throws Exception {
        SepiaImage result = sepiaOf(1200, 900);
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

    private SepiaImage sepiaOf(int width, int height) throws Exception {
        ByteArrayOutputStream photo = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", photo);
        return sepia.process(new ByteArrayInputStream(photo.toByteArray()));
    }

    private byte[] read(String key) throws IOException {
        return s3.getObjectAsBytes(get -> get.bucket(resources.bucket()).key(key)).asByteArray();
    }
}
