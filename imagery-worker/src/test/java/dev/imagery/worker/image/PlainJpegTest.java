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
import javax.imageio.ImageWriteParam;
import javax.imageio.stream.ImageInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.twelvemonkeys.imageio.stream.BufferedFileImageInputStream;

import dev.imagery.test.corpus.Corpus;

class PlainJpegTest {

    @ParameterizedTest
    @ValueSource(strings = {"photos/small_1.3MP_GreenMeadow_progressive.jpg", "edge/progressive_tablets_3.jpg"})
    void decodesPlainProgressiveJpegsWithoutImageIoToExactlyImageIosPixels(String name) throws Exception {
        Path file = Corpus.path(name);
        PlainJpeg.Header header = qualify(file);
        assertThat(header).as("a plain JPEG").isNotNull();
        assertThat(header.progressive()).isTrue();
        assertSamePixels(PlainJpeg.decodeProgressive(Files.readAllBytes(file), header), imageIo(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"photos/medium_4.1MP_LadyBird.jpg", "photos/large_8.0MP_iphone_hdr_NO.jpg",
            "photos/small_1.3MP_GreenMeadow_progressive.jpg", "edge/exif_orient6_canon.jpg"})
    void qualifiesBaselineAndProgressiveYCbCrJpegs(String name) throws IOException {
        Path file = Corpus.path(name);
        PlainJpeg.Header header = qualify(file);
        BufferedImage decoded = imageIo(file);
        assertThat(header).isNotNull();
        assertThat(header.width()).isEqualTo(decoded.getWidth());
        assertThat(header.height()).isEqualTo(decoded.getHeight());
        assertThat(header.progressive()).isEqualTo(name.contains("progressive"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"photos/medium_4.1MP_Path.jpg", "photos/small_0.9MP_hubble_deep_field.jpg"})
    void qualifiesJpegsTaggedWithAnSrgbProfileOrAnAdobeYCbCrMarker(String name) throws IOException {
        assertThat(qualify(Corpus.path(name))).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void qualifiesGreyJpegsAsSuchWithoutAProfileOrWithAGreyOne(boolean progressive, @TempDir Path dir)
            throws IOException {
        Path file = Files.write(dir.resolve("grey.jpg"), greyJpeg(progressive));
        PlainJpeg.Header header = qualify(file);
        assertThat(header).as("one component, no profile").isNotNull();
        assertThat(header.grey()).isTrue();
        assertThat(header.progressive()).isEqualTo(progressive);
        assertThat(qualify(Corpus.photo("medium_4.1MP_LadyBird.jpg")).grey()).isFalse();
        assertThat(qualify(Corpus.edge("grayscale_concert.jpg")).grey()).as("grey with a grey profile").isTrue();
    }

    /** The 4.1 MP photo in black and white, one component, as the JDK writes it (baseline or progressive). */
    static byte[] greyJpeg(boolean progressive) throws IOException {
        BufferedImage colour = ImageIO.read(Corpus.photo("medium_4.1MP_LadyBird.jpg").toFile());
        BufferedImage grey = new BufferedImage(colour.getWidth(), colour.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(colour, 0, 0, null);
        return ImageWriters.write(ImageIO.getImageWritersByFormatName("jpeg").next(), grey, param -> {
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"edge/jpeg_lossless_sof3.jpg", "edge/truncated_10000B.jpg"})
    void leavesLosslessAndCutFilesToImageIo(String name) throws IOException {
        Path file = Corpus.path(name);
        boolean plain = qualify(file) != null && PlainJpeg.endsWithEoi(Files.readAllBytes(file));
        assertThat(plain).isFalse();
    }

    static PlainJpeg.Header qualify(Path file) throws IOException {
        try (ImageInputStream in = new BufferedFileImageInputStream(file.toFile())) {
            return PlainJpeg.qualify(in);
        }
    }

    static void assertSamePixels(BufferedImage fast, BufferedImage imageIo) {
        assertThat(fast.getWidth()).isEqualTo(imageIo.getWidth());
        assertThat(fast.getHeight()).isEqualTo(imageIo.getHeight());
        BufferedImage standard = StandardImage.of(imageIo, StandardImage::create);
        assertThat(Arrays.equals(bytes(fast), bytes(standard))).as("identical pixels").isTrue();
    }

    /** The JDK's own JPEG reader, as TwelveMonkeys delegates to it for these files. */
    static BufferedImage imageIo(Path file) throws IOException {
        return read(file, ImageIO.getImageReadersByFormatName("jpeg").next());
    }

    /** The first image of the file, read with the given reader, which is disposed of afterwards. */
    static BufferedImage read(Path file, ImageReader reader) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            reader.setInput(in);
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }

    static byte[] bytes(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }
}
