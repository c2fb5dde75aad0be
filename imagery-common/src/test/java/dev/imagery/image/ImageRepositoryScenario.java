package dev.imagery.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.imagery.local.AwsStack;
import dev.imagery.test.aws.Backend;
import dev.imagery.test.aws.UseAws;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;

/**
 * The conditional writes, against a real DynamoDB: every transition checks the version read AND
 * the states it may start from, so a writer that lost a race is told and shown what is stored.
 */
abstract class ImageRepositoryScenario {

    private AwsStack aws;
    private ImageRepository images;

    @BeforeEach
    void connect(AwsStack aws) {
        this.aws = aws;
        this.images = repositoryAt(Clock.systemUTC());
    }

    private ImageRepository repositoryAt(Clock clock) {
        DynamoDbEnhancedClient dynamoDb = DynamoDbEnhancedClient.builder().dynamoDbClient(aws.endpoints().dynamoDbClient()).build();
        return new ImageRepository(dynamoDb, aws.resources().table(), clock);
    }

    @Test
    void aNewImageIsStoredAsCreatedWithVersionZero() {
        Image created = images.create();

        Image stored = images.find(created.getId()).orElseThrow();
        assertThat(stored.getState()).isEqualTo(ImageState.CREATED);
        assertThat(stored.getVersion()).isZero();
        assertThat(stored.getCreated()).isEqualTo(created.getCreated()).isPositive();
    }

    @Test
    void anUnknownIdFindsNothing() {
        assertThat(images.find(UUID.randomUUID())).isEmpty();
    }

    @Test
    void aTransitionWritesTheTargetStateTheChangesAndTheNextVersion() {
        Image created = images.create();

        Image uploaded = images.transition(created, Transition.UPLOAD, image -> image.setRawS3Key("raw/x/1"));

        assertThat(uploaded.getVersion()).isEqualTo(1);
        assertThat(images.find(created.getId()).orElseThrow())
                .extracting(Image::getState, Image::getVersion, Image::getRawS3Key)
                .containsExactly(ImageState.UPLOADED, 1L, "raw/x/1");
    }

    @Test
    void aWriterWithAStaleVersionLosesAndSeesWhatIsStored() {
        Image created = images.create();
        images.transition(created, Transition.UPLOAD, image -> image.setRawS3Key("raw/x/winner"));

        ImageConflictException lost = assertThrows(ImageConflictException.class,
                () -> images.transition(created, Transition.UPLOAD, image -> image.setRawS3Key("raw/x/loser")));

        assertThat(lost.current().getVersion()).isEqualTo(1);
        assertThat(lost.current().getRawS3Key()).isEqualTo("raw/x/winner");
        assertThat(images.find(created.getId()).orElseThrow().getRawS3Key()).isEqualTo("raw/x/winner");
    }

    @Test
    void theRightVersionInAStateTheTransitionMayNotStartFromIsRefused() {
        Image created = images.create();

        assertThatExceptionOfType(ImageConflictException.class)
                .isThrownBy(() -> images.transition(created, Transition.PROCESS, image -> image.setProcessedS3Key("p")));

        Image stored = images.find(created.getId()).orElseThrow();
        assertThat(stored.getState()).isEqualTo(ImageState.CREATED);
        assertThat(stored.getVersion()).isZero();
        assertThat(stored.getProcessedS3Key()).isNull();
    }

    @Test
    void ofManyConcurrentWritersFromTheSameReadExactlyOneWins() throws Exception {
        Image created = images.create();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Callable<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            String key = "raw/x/" + i;
            attempts.add(() -> {
                try {
                    images.transition(created, Transition.UPLOAD, image -> image.setRawS3Key(key));
                    return true;
                } catch (ImageConflictException e) {
                    return false;
                }
            });
        }
        int wins = 0;
        for (Future<Boolean> won : pool.invokeAll(attempts)) {
            wins += won.get() ? 1 : 0;
        }
        pool.shutdown();

        assertThat(wins).isEqualTo(1);
        assertThat(images.find(created.getId()).orElseThrow().getVersion()).isEqualTo(1);
    }

    @Test
    void uploadsWaitingSinceBeforeACutoffAreFoundAndOthersAreNot() {
        Instant longAgo = Instant.parse("2020-01-01T00:00:00Z");
        ImageRepository past = repositoryAt(Clock.fixed(longAgo, ZoneOffset.UTC));
        Image stuck = past.transition(past.create(), Transition.UPLOAD, image -> image.setRawS3Key("raw/stuck/1"));
        Image neverUploaded = past.create();
        Image recent = images.transition(images.create(), Transition.UPLOAD, image -> image.setRawS3Key("raw/recent/1"));

        List<UUID> found = images.uploadedBefore(longAgo.plusSeconds(1), Integer.MAX_VALUE).stream().map(Image::getId).toList();

        assertThat(found).contains(stuck.getId()).doesNotContain(neverUploaded.getId(), recent.getId());
    }

    @Test
    void aProcessedOrFailedUploadIsNoLongerWaitingAndAnUploadMadeTwiceIsFoundOnce() {
        Instant longAgo = Instant.parse("2020-01-01T00:00:00Z");
        ImageRepository past = repositoryAt(Clock.fixed(longAgo, ZoneOffset.UTC));
        Image processed = past.transition(past.transition(past.create(), Transition.UPLOAD, image -> image.setRawS3Key("raw/p/1")),
                Transition.PROCESS, image -> image.setProcessedS3Key("processed/p/1.png"));
        Image failed = past.transition(past.transition(past.create(), Transition.UPLOAD, image -> image.setRawS3Key("raw/f/1")),
                Transition.FAIL, image -> image.setFailureReason("not an image"));
        Image uploadedTwice = past.transition(past.transition(past.create(), Transition.UPLOAD, image -> image.setRawS3Key("raw/u/1")),
                Transition.UPLOAD, image -> image.setRawS3Key("raw/u/2"));

        List<UUID> found = images.uploadedBefore(longAgo.plusSeconds(1), Integer.MAX_VALUE).stream().map(Image::getId).toList();

        assertThat(found).contains(uploadedTwice.getId()).doesNotContain(processed.getId(), failed.getId())
                .containsOnlyOnce(uploadedTwice.getId());
    }
}

@UseAws(Backend.EMBEDDED)
class ImageRepositoryOnEmbeddedAwsTest extends ImageRepositoryScenario {
}

@UseAws(Backend.LOCALSTACK)
class ImageRepositoryOnLocalStackTest extends ImageRepositoryScenario {
}
