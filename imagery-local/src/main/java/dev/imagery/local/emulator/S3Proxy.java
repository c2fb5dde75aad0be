package dev.imagery.local.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;

import dev.imagery.local.AwsService;

/**
 * S3Proxy (S3) with real SigV4 checking against the stack's credentials, so presigned URLs behave as on
 * AWS. Persistent mode uses its filesystem blobstore (objects survive a restart); otherwise the in-memory
 * {@code transient} one. Logging goes through our logback file: without one S3Proxy logs at DEBUG.
 */
final class S3Proxy implements Emulator {

    @Override
    public AwsService service() {
        return AwsService.S3;
    }

    @Override
    public String name() {
        return "s3proxy";
    }

    @Override
    public Launch prepare(Settings settings) throws IOException {
        Path dir = Files.createDirectories(settings.dataDir());
        Properties properties = new Properties();
        properties.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + settings.port());
        properties.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        properties.setProperty("s3proxy.identity", settings.accessKeyId());
        properties.setProperty("s3proxy.credential", settings.secretAccessKey());
        // S3Proxy refuses (closes the connection on) SigV4 PUTs over 32 MiB that are not aws-chunked; the SDK
        // sends plain ones, and the sepia PNG of an 18 MP photo is about 36 MB. Real S3 takes 5 GB in one PUT.
        properties.setProperty("s3proxy.v4-max-non-chunked-request-size", String.valueOf(1L << 30));
        if (settings.persistent()) {
            properties.setProperty("jclouds.provider", "filesystem");
            properties.setProperty("jclouds.filesystem.basedir",
                    Files.createDirectories(dir.resolve("blobs")).toString());
        } else {
            properties.setProperty("jclouds.provider", "transient");
        }
        Path propertiesFile = dir.resolve("s3proxy.properties");
        try (Writer writer = Files.newBufferedWriter(propertiesFile)) {
            properties.store(writer, "imagery-local");
        }
        Path logback = dir.resolve("logback.xml");
        try (InputStream config = S3Proxy.class.getResourceAsStream("s3proxy-logback.xml")) {
            Files.copy(config, logback, StandardCopyOption.REPLACE_EXISTING);
        }
        // The full JIT (C2), unlike ElasticMQ: S3Proxy moves every byte of every image, and C2 about halves its CPU
        // for them (145 -> 76-107 ms for an 8 MP photo through the pipeline, docs/PERFORMANCE.md).
        return new Launch(List.of("-Dlogback.configurationFile=" + logback), "org.gaul.s3proxy.Main",
                List.of("--properties", propertiesFile.toString()));
    }
}
