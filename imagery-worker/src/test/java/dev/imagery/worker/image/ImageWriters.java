package dev.imagery.worker.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Consumer;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Files for the tests written by an ImageIO writer with settings of their own (compression, interlacing). */
final class ImageWriters {

    private ImageWriters() {
    }

    /** The image through {@code writer}, disposed of afterwards, with {@code settings} applied to its parameters. */
    static byte[] write(ImageWriter writer, BufferedImage image, Consumer<ImageWriteParam> settings)
            throws IOException {
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            settings.accept(param);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.write(null, new IIOImage(image, null, null), param);
            }
            return bytes.toByteArray();
        } finally {
            writer.dispose();
        }
    }
}
