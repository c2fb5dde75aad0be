package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.twelvemonkeys.imageio.stream.BufferedFileImageInputStream;

import dev.imagery.test.corpus.Corpus;

class ProgressiveJpegTest {

    @ParameterizedTest
    @ValueSource(strings = {"photos/small_1.3MP_GreenMeadow_progressive.jpg", "edge/progressive_tablets_3.jpg"})
    void decodesPlainProgressiveJpegsToExactlyImageIosPixels(String name) throws Exception {
        Path file = Corpus.path(name);
        ProgressiveJpeg.Header header;
        try (ImageInputStream in = new BufferedFileImageInputStream(file.toFile())) {
            header = ProgressiveJpeg.qualify(in);
        }
        assertThat(header).as("takes the fast path").isNotNull();
        BufferedImage fast = ProgressiveJpeg.decode(Files.readAllBytes(file), header);
        BufferedImage slow = imageIo(file);
        assertThat(fast.getWidth()).isEqualTo(slow.getWidth());
        assertThat(fast.getHeight()).isEqualTo(slow.getHeight());
        assertThat(Arrays.equals(bytes(fast), bytes(StandardImage.of(slow)))).as("identical pixels").isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"photos/medium_4.1MP_LadyBird.jpg", "edge/cmyk_with_profile.jpg",
            "edge/grayscale_concert.jpg", "edge/jpeg_lossless_sof3.jpg", "edge/truncated_10000B.jpg"})
    void leavesEverythingElseToImageIo(String name) throws IOException {
        Path file = Corpus.path(name);
        boolean fast;
        try (ImageInputStream in = new BufferedFileImageInputStream(file.toFile())) {
            fast = ProgressiveJpeg.qualify(in) != null && ProgressiveJpeg.endsWithEoi(Files.readAllBytes(file));
        }
        assertThat(fast).isFalse();
    }

    /** The JDK's own JPEG reader, as TwelveMonkeys delegates to it for these files. */
    private static BufferedImage imageIo(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            try {
                reader.setInput(in);
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        }
    }

    private static byte[] bytes(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }
}
