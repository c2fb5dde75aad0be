package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ImageFormatTest {

    @Test
    void recognisesTheDecodableFormatsByTheirSignatures() {
        assertThat(sniff(0xFF, 0xD8, 0xFF, 0xE0)).isEqualTo(ImageFormat.JPEG);
        assertThat(sniff(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)).isEqualTo(ImageFormat.PNG);
        assertThat(sniff("GIF89a")).isEqualTo(ImageFormat.GIF);
        assertThat(sniff("BM" + "\0".repeat(20))).isEqualTo(ImageFormat.BMP);
        assertThat(sniff("RIFF\0\0\0\0WEBPVP8 ")).isEqualTo(ImageFormat.WEBP);
        assertThat(sniff('I', 'I', 42, 0)).isEqualTo(ImageFormat.TIFF);
        assertThat(sniff('M', 'M', 0, 42)).isEqualTo(ImageFormat.TIFF);
    }

    @Test
    void namesFormatsItRecognisesButCannotDecode() {
        assertThat(sniff("\0\0\0\u0018ftypheic")).isEqualTo(ImageFormat.HEIF);
        assertThat(sniff("\0\0\0\u001cftypavif")).isEqualTo(ImageFormat.AVIF);
        assertThat(sniff("%PDF-1.7")).isEqualTo(ImageFormat.PDF);
        assertThat(sniff("<svg xmlns=")).isEqualTo(ImageFormat.SVG);
        assertThat(sniff("8BPS")).isEqualTo(ImageFormat.PSD);
        assertThat(ImageFormat.HEIF.decodable()).isFalse();
    }

    @Test
    void treatsTextAndShortOrEmptyInputAsUnknown() {
        assertThat(sniff("hello, world")).isEqualTo(ImageFormat.UNKNOWN);
        assertThat(sniff("RIFF\0\0\0\0WAVE")).isEqualTo(ImageFormat.UNKNOWN);
        assertThat(sniff(0xFF, 0xD8)).isEqualTo(ImageFormat.UNKNOWN);
        assertThat(ImageFormat.sniff(new byte[ImageFormat.SNIFF_LENGTH], 0)).isEqualTo(ImageFormat.UNKNOWN);
    }

    private static ImageFormat sniff(String head) {
        byte[] bytes = head.getBytes(StandardCharsets.ISO_8859_1);
        return ImageFormat.sniff(bytes, bytes.length);
    }

    private static ImageFormat sniff(int... head) {
        byte[] bytes = new byte[head.length];
        for (int i = 0; i < head.length; i++) {
            bytes[i] = (byte) head[i];
        }
        return ImageFormat.sniff(bytes, bytes.length);
    }
}
