package dev.imagery.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.imagery.aws.ImageryResources;
import dev.imagery.image.Image;
import dev.imagery.image.ImageKeys;
import dev.imagery.image.ImageRepository;
import dev.imagery.image.ImageState;
import dev.imagery.image.Transition;
import dev.imagery.test.aws.Backend;
import dev.imagery.test.aws.UseAws;
import dev.imagery.test.corpus.Corpus;
import dev.imagery.test.image.SepiaAssertions;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The worker in-process, fed through the real queue the way the API feeds it: an uploaded image
 * and a message in the original Imagery's JSON.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
abstract class ProcessImageScenario {

    private static final Duration PROCESSING = Duration.ofSeconds(60);

    @Autowired
    ImageRepository images;

    @Autowired
    S3Client s3;

    @Autowired
    SqsAsyncClient sqs;

    @Autowired
    ImageryResources resources;

    @Test
    void anUploadedPhotoBecomesASepiaPngOfTheSameSizeAndAThumbnail() {
        Path photo = Corpus.photo("small_1.3MP_GreenMeadow_progressive.jpg");
        Image uploaded = upload(photo);

        send(uploaded.getId(), "processed");
        Image processed = awaitState(uploaded.getId(), ImageState.PROCESSED);

        assertThat(processed.getProcessedS3Key()).isEqualTo(ImageKeys.processedKey(uploaded.getRawS3Key()));
        BufferedImage sepia = SepiaAssertions.assertSepiaPngOf(Corpus.read(photo), download(processed.getProcessedS3Key()));
        assertThat(sepia.getWidth()).isEqualTo(1280);
        BufferedImage thumbnail = SepiaAssertions.decodePng(download(processed.getThumbnailS3Key()));
        assertThat(Math.max(thumbnail.getWidth(), thumbnail.getHeight())).isLessThanOrEqualTo(480);
    }

    @Test
    void aDuplicatedMessageChangesNothingOnceTheImageIsProcessed() {
        Image uploaded = upload(Corpus.photo("small_0.3MP_chelsea.png"));
        send(uploaded.getId(), "processed");
        Image processed = awaitState(uploaded.getId(), ImageState.PROCESSED);

        send(uploaded.getId(), "processed");
        send(uploaded.getId(), "processed");
        awaitQueueDrained();

        Image after = images.find(uploaded.getId()).orElseThrow();
        assertThat(after.getVersion()).isEqualTo(processed.getVersion());
        assertThat(after.getProcessedS3Key()).isEqualTo(processed.getProcessedS3Key());
        assertThat(after.getUpdated()).isEqualTo(processed.getUpdated());
    }

    @Test
    void aPhotoWithExifOrientationComesOutUpright() {
        // Stored as a 1200x1800 portrait with Orientation=6 (turn 90° clockwise): a landscape photo.
        Image uploaded = upload(Corpus.edge("exif_orient6_Landscape_6.jpg"));

        send(uploaded.getId(), "processed");
        Image processed = awaitState(uploaded.getId(), ImageState.PROCESSED);

        BufferedImage sepia = SepiaAssertions.decodePng(download(processed.getProcessedS3Key()));
        assertThat(sepia.getWidth()).isEqualTo(1800);
        assertThat(sepia.getHeight()).isEqualTo(1200);
    }

    @Test
    void bytesThatAreNotAnImageEndInFailedWithAReasonAndAreNotRetried() {
        Image uploaded = upload("this is a text file".getBytes());

        send(uploaded.getId(), "processed");
        Image failed = awaitState(uploaded.getId(), ImageState.FAILED);

        assertThat(failed.getFailureReason()).isNotBlank();
        assertThat(failed.getProcessedS3Key()).isNull();
    }

    private Image upload(Path file) {
        return upload(RequestBody.fromFile(file));
    }

    private Image upload(byte[] content) {
        return upload(RequestBody.fromBytes(content));
    }

    /** What the API does for an upload: the object under a fresh key, then the conditional write. */
    private Image upload(RequestBody content) {
        Image created = images.create();
        String rawKey = ImageKeys.newRawKey(created.getId());
        s3.putObject(put -> put.bucket(resources.bucket()).key(rawKey), content);
        return images.transition(created, Transition.UPLOAD, image -> image.setRawS3Key(rawKey));
    }

    /** A message as the original Imagery wrote it: plain JSON, no Spring headers. */
    private void send(UUID imageId, String desiredState) {
        sqs.sendMessage(message -> message.queueUrl(resources.queue())
                .messageBody("{\"imageId\": \"" + imageId + "\", \"desiredState\": \"" + desiredState + "\"}")).join();
    }

    private Image awaitState(UUID id, ImageState state) {
        return await().atMost(PROCESSING).until(() -> images.find(id).orElseThrow(), image -> image.getState() == state);
    }

    private void awaitQueueDrained() {
        await().atMost(PROCESSING).until(() -> {
            Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(get -> get.queueUrl(resources.queue())
                    .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).join().attributes();
            return attributes.values().stream().allMatch("0"::equals);
        });
    }

    private byte[] download(String key) {
        return s3.getObjectAsBytes(get -> get.bucket(resources.bucket()).key(key)).asByteArray();
    }
}

@UseAws(Backend.EMBEDDED)
class ProcessImageOnEmbeddedAwsTest extends ProcessImageScenario {
}

@UseAws(Backend.LOCALSTACK)
class ProcessImageOnLocalStackTest extends ProcessImageScenario {
}
