package dev.imagery.worker.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.imagery.test.image.ExifJpeg;

class ExifOrientationTest {

    /**
     * A 3×2 picture whose pixels are numbered 1..6 in reading order, as the eye should see it:
     * <pre>
     * 1 2 3
     * 4 5 6
     * </pre>
     * For each orientation, {@code stored} is how a camera would have stored it (rows, top to bottom).
     */
    @ParameterizedTest(name = "orientation {0}")
    @CsvSource(delimiter = ';', value = {
            "1; 1 2 3 / 4 5 6",
            "2; 3 2 1 / 6 5 4",
            "3; 6 5 4 / 3 2 1",
            "4; 4 5 6 / 1 2 3",
            "5; 1 4 / 2 5 / 3 6",
            "6; 3 6 / 2 5 / 1 4",
            "7; 6 3 / 5 2 / 4 1",
            "8; 4 1 / 5 2 / 6 3"})
    void turnsStoredPixelsUpright(int orientation, String stored) {
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR}) {
            BufferedImage image = fromRows(stored, type);

            BufferedImage upright = ExifOrientation.apply(image, orientation, StandardImage::create);

            assertThat(rows(upright)).isEqualTo("1 2 3 / 4 5 6");
        }
    }

    @Test
    void readsTheOrientationTagInBothByteOrders() {
        assertThat(ExifOrientation.fromTiff(ExifJpeg.orientationTiff(6, false), 0)).isEqualTo(6);
        assertThat(ExifOrientation.fromTiff(ExifJpeg.orientationTiff(8, true), 0)).isEqualTo(8);
    }

    @Test
    void treatsMissingOrInvalidTagsAsNormal() {
        assertThat(ExifOrientation.fromTiff(ExifJpeg.orientationTiff(9, false), 0)).isEqualTo(1);
        assertThat(ExifOrientation.fromTiff(ExifJpeg.orientationTiff(0, true), 0)).isEqualTo(1);
        assertThat(ExifOrientation.fromTiff(new byte[] {'M', 'M', 0, 42, 0x7F, 0, 0, 0}, 0)).isEqualTo(1);
        assertThat(ExifOrientation.fromTiff(new byte[] {'X', 'X', 0, 42, 0, 0, 0, 8}, 0)).isEqualTo(1);
        assertThat(ExifOrientation.fromTiff(new byte[3], 0)).isEqualTo(1);
    }

    @Test
    void findsTheExifSegmentOfAJpeg() throws IOException {
        byte[] jpeg = ExifJpeg.withOrientation(solidJpeg(), 6);

        assertThat(ExifOrientation.readJpeg(new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))))
                .isEqualTo(6);
        assertThat(ExifOrientation.readJpeg(new MemoryCacheImageInputStream(new ByteArrayInputStream(solidJpeg()))))
                .isEqualTo(1);
    }

    @Test
    void treatsACutOffHeaderAsNormal() throws IOException {
        byte[] jpeg = ExifJpeg.withOrientation(solidJpeg(), 6);
        byte[] cut = Arrays.copyOf(jpeg, 12);

        assertThat(ExifOrientation.readJpeg(new MemoryCacheImageInputStream(new ByteArrayInputStream(cut))))
                .isEqualTo(1);
    }

    /** A JPEG whose SOI is followed by an APP1 Exif segment with the given orientation. */
    private static byte[] solidJpeg() throws IOException {
        BufferedImage image = new BufferedImage(16, 8, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, 16, 8);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    /** Pixels numbered by their blue channel; rows separated by " / ". */
    private static BufferedImage fromRows(String rows, int type) {
        String[] lines = rows.split(" / ");
        int h = lines.length;
        int w = lines[0].split(" ").length;
        BufferedImage image = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            String[] cells = lines[y].split(" ");
            for (int x = 0; x < w; x++) {
                int n = Integer.parseInt(cells[x]);
                int[] pixel = type == BufferedImage.TYPE_4BYTE_ABGR ? new int[] {10 * n, 20 * n, n, 255 - n}
                        : new int[] {10 * n, 20 * n, n};
                image.getRaster().setPixel(x, y, pixel);
            }
        }
        return image;
    }

    private static String rows(BufferedImage image) {
        StringBuilder s = new StringBuilder();
        for (int y = 0; y < image.getHeight(); y++) {
            if (y > 0) {
                s.append(" / ");
            }
            for (int x = 0; x < image.getWidth(); x++) {
                int[] p = image.getRaster().getPixel(x, y, (int[]) null);
                int n = p[2];
                // Every band must travel with its pixel.
                assertThat(p[0]).isEqualTo(10 * n);
                assertThat(p[1]).isEqualTo(20 * n);
                if (p.length == 4) {
                    assertThat(p[3]).isEqualTo(255 - n);
                }
                s.append(x > 0 ? " " : "").append(n);
            }
        }
        return s.toString();
    }
}
