package dev.imagery.test.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class CorpusTest {

    @Test
    void findsPhotosAndEdgeCases() {
        assertThat(Corpus.root().resolve("MANIFEST.tsv")).isRegularFile();
        assertThat(Corpus.photo("medium_4.1MP_LadyBird.jpg")).isRegularFile();
        assertThat(Corpus.edge("cmyk_with_profile.jpg")).isRegularFile();
        assertThat(Corpus.path("photos/small_0.3MP_chelsea.png")).isEqualTo(Corpus.photo("small_0.3MP_chelsea.png"));
        assertThat(Corpus.photos()).hasSizeGreaterThanOrEqualTo(8).allMatch(Files::isRegularFile)
                .extracting(path -> path.getParent().getFileName().toString()).containsOnly("photos");
        assertThat(Corpus.edges()).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void photosComeSmallestFirst() throws Exception {
        long previous = 0;
        for (Path photo : Corpus.photos()) {
            assertThat(Files.size(photo)).isGreaterThanOrEqualTo(previous);
            previous = Files.size(photo);
        }
    }

    @Test
    void aMissingImageFailsWithWhereItLooked() {
        assertThatThrownBy(() -> Corpus.photo("no-such.jpg")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("photos/no-such.jpg").hasMessageContaining(Corpus.root().toString());
        assertThatThrownBy(() -> Corpus.path("../corpus/../../etc/passwd")).isInstanceOf(AssertionError.class);
    }

    @Test
    void decodesWithImageIo() {
        assertThat(Corpus.read(Corpus.photo("small_0.3MP_chelsea.png")).getWidth()).isEqualTo(451);
    }
}
