package dev.imagery.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class ImageKeysTest {

    private final UUID id = UUID.fromString("3f2b8c1e-5d4a-4b7e-9c3f-1a2b3c4d5e6f");

    @Test
    void everyUploadGetsItsOwnKeyUnderTheImage() {
        String first = ImageKeys.newRawKey(id);
        String second = ImageKeys.newRawKey(id);
        assertThat(first).startsWith("raw/" + id + "/").isNotEqualTo(second);
    }

    @Test
    void processedKeysDeriveFromTheUploadSoRepeatedWorkOverwritesInsteadOfPilingUp() {
        String raw = ImageKeys.newRawKey(id);
        String upload = raw.substring("raw/".length());
        assertThat(ImageKeys.processedKey(raw)).isEqualTo("processed/" + upload + ".png").isEqualTo(ImageKeys.processedKey(raw));
        assertThat(ImageKeys.thumbnailKey(raw)).isEqualTo("processed/" + upload + "-thumbnail.png");
    }

    @Test
    void onlyRawKeysHaveProcessedCounterparts() {
        assertThatIllegalArgumentException().isThrownBy(() -> ImageKeys.processedKey("processed/x.png"));
        assertThatIllegalArgumentException().isThrownBy(() -> ImageKeys.processedKey(null));
    }
}
