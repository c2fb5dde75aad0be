package dev.imagery.image;

import static dev.imagery.image.ImageState.CREATED;
import static dev.imagery.image.ImageState.FAILED;
import static dev.imagery.image.ImageState.PROCESSED;
import static dev.imagery.image.ImageState.UPLOADED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TransitionTest {

    @Test
    void uploadIsAllowedUntilTheImageIsProcessedSoARetriedUploadSucceeds() {
        assertThat(allowedStates(Transition.UPLOAD)).containsExactlyInAnyOrder(CREATED, UPLOADED);
        assertThat(Transition.UPLOAD.target()).isEqualTo(UPLOADED);
    }

    @Test
    void processingIsAllowedAgainOnAProcessedImageSoARedeliveredMessageDoesNotFail() {
        assertThat(allowedStates(Transition.PROCESS)).containsExactlyInAnyOrder(UPLOADED, PROCESSED);
        assertThat(Transition.PROCESS.target()).isEqualTo(PROCESSED);
    }

    @Test
    void onlyAStuckUploadIsRequeued() {
        assertThat(allowedStates(Transition.REQUEUE)).containsExactly(UPLOADED);
    }

    @Test
    void onlyAnUploadedImageCanFail() {
        assertThat(allowedStates(Transition.FAIL)).containsExactlyInAnyOrder(UPLOADED, FAILED);
    }

    @Test
    void nothingLeadsBackToCreated() {
        for (Transition transition : Transition.values()) {
            assertThat(transition.target()).isNotEqualTo(CREATED);
        }
    }

    @Test
    void noTransitionLeavesAFinishedImage() {
        assertThat(EnumSet.allOf(ImageState.class)).filteredOn(ImageState::isFinished)
                .containsExactlyInAnyOrder(PROCESSED, FAILED);
        for (Transition transition : Transition.values()) {
            for (ImageState finished : EnumSet.of(PROCESSED, FAILED)) {
                if (transition.allowedFrom(finished)) {
                    assertThat(transition.target()).as(transition + " from " + finished).isEqualTo(finished);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transition.class)
    void everyTransitionMayBeRepeatedFromItsOwnTarget(Transition transition) {
        assertThat(transition.allowedFrom(transition.target())).isTrue();
    }

    @Test
    void statesAreStoredInLowerCaseLikeTheOriginalImagery() {
        assertThat(UPLOADED).hasToString("uploaded");
    }

    private static EnumSet<ImageState> allowedStates(Transition transition) {
        EnumSet<ImageState> allowed = EnumSet.noneOf(ImageState.class);
        for (ImageState state : ImageState.values()) {
            if (transition.allowedFrom(state)) {
                allowed.add(state);
            }
        }
        return allowed;
    }
}
