package dev.imagery.worker.image;

import static dev.imagery.worker.image.PlainJpegTest.assertSamePixels;
import static dev.imagery.worker.image.PlainJpegTest.imageIo;
import static dev.imagery.worker.image.PlainJpegTest.qualify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.stream.ImageInputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;

import dev.imagery.test.corpus.Corpus;

class TurboJpegTest {

    @BeforeAll
    static void libjpegTurboInstalled() {
        // .ci/run installs it (Debian's libturbojpeg0); without it the worker falls back to the JDK's decoder.
        assumeTrue(TurboJpeg.available(), "libturbojpeg is not installed (apt-get install libturbojpeg0)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"photos/medium_4.1MP_LadyBird.jpg", "photos/large_8.0MP_iphone_hdr_NO.jpg",
            "photos/medium_6.1MP_flickr_2569067123.jpg", "photos/small_1.3MP_GreenMeadow_progressive.jpg",
            "edge/progressive_tablets_3.jpg", "edge/exif_orient6_canon.jpg"})
    void decodesPlainJpegsToExactlyTheJdksPixels(String name) throws IOException {
        Path file = Corpus.path(name);
        PlainJpeg.Header header = qualify(file);
        assertThat(header).as("a plain JPEG").isNotNull();
        assertSamePixels(TurboJpeg.decode(Files.readAllBytes(file), header), imageIo(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"photos/medium_4.1MP_Path.jpg", "photos/small_0.9MP_hubble_deep_field.jpg"})
    void decodesSrgbTaggedJpegsToTheColourManagedPixelsWithinOneStep(String name) throws IOException {
        Path file = Corpus.path(name);
        PlainJpeg.Header header = qualify(file);
        assertThat(header).as("a plain JPEG with an sRGB profile").isNotNull();
        byte[] fast = bytes(TurboJpeg.decode(Files.readAllBytes(file), header));
        byte[] managed = bytes(StandardImage.of(twelveMonkeys(file)));
        assertThat(fast).hasSameSizeAs(managed);
        int worst = 0;
        long total = 0;
        for (int i = 0; i < fast.length; i++) {
            int difference = Math.abs((fast[i] & 0xFF) - (managed[i] & 0xFF));
            worst = Math.max(worst, difference);
            total += difference;
        }
        assertThat(worst).as("largest difference from the colour-managed pixels").isLessThanOrEqualTo(1);
    }

    @Test
    void declinesCorruptDataSoThatImageIoDecidesAboutIt() throws IOException {
        Path file = Corpus.edge("corrupt_data_10MP.jpg");
        PlainJpeg.Header header = qualify(file);
        assertThat(header).as("a plain JPEG by its headers").isNotNull();
        assertThat(TurboJpeg.decode(Files.readAllBytes(file), header)).isNull();
    }

    @Test
    void declinesAFileCutShort() throws IOException {
        Path file = Corpus.photo("large_8.0MP_iphone_hdr_NO.jpg");
        byte[] whole = Files.readAllBytes(file);
        PlainJpeg.Header header = qualify(file);
        assertThat(TurboJpeg.decode(Arrays.copyOf(whole, whole.length / 2), header)).isNull();
    }

    private static byte[] bytes(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }

    /** The reader the worker takes for JPEGs that are not plain: TwelveMonkeys', which applies the profile. */
    private static BufferedImage twelveMonkeys(Path file) throws IOException {
        ImageReader reader = IIORegistry.getDefaultInstance()
                .getServiceProviderByClass(JPEGImageReaderSpi.class).createReaderInstance();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            reader.setInput(in);
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }
}
