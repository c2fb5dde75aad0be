package dev.imagery.worker.processing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.springframework.stereotype.Component;

import dev.imagery.aws.AwsTimeouts;
import dev.imagery.aws.ImageryResources;
import dev.imagery.worker.image.SepiaImage;
import dev.imagery.worker.image.SepiaProcessor;
import dev.imagery.worker.image.UnprocessableImageException;
import jakarta.annotation.PreDestroy;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/** The worker's side of the bucket: reads an upload, writes the sepia results. */
@Component
class ImageFiles {

    private final S3Client s3;
    private final String bucket;
    private final SepiaProcessor sepia;
    /**
     * One thread per thumbnail being stored: about as many as images in flight, idle ones end after a minute. Not
     * Spring's application executor: that one stops taking tasks when the context starts closing, while the
     * listener is still finishing the images it holds (graceful shutdown, RELIABILITY.md 7a).
     */
    private final ExecutorService thumbnailPuts = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "thumbnail-put");
        thread.setDaemon(true);
        return thread;
    });

    ImageFiles(S3Client s3, ImageryResources resources, SepiaProcessor sepia) {
        this.s3 = s3;
        this.bucket = resources.bucket();
        this.sepia = sepia;
    }

    /**
     * Streams the upload from S3 through the sepia pipeline, into one array of the length S3 gives. The timeout
     * ends once the response headers are in (the stream is handed over then); a body that stops flowing is ended
     * by the HTTP client's 30 s socket read timeout, so a frozen S3 fails the attempt either way.
     */
    SepiaImage sepiaOf(String rawKey) throws UnprocessableImageException {
        try (ResponseInputStream<GetObjectResponse> raw = s3.getObject(get -> get.bucket(bucket).key(rawKey)
                .overrideConfiguration(AwsTimeouts.download()))) {
            return sepia.process(raw, Objects.requireNonNullElse(raw.response().contentLength(), -1L));
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + rawKey + " from S3 failed", e);
        }
    }

    /**
     * The sepia image and its thumbnail, streamed from memory (the SDK re-opens a stream on a retry), both at
     * once: the thumbnail's PUT (5-11 ms against S3Proxy here, a round trip or two on S3) hides behind the full
     * PNG's. Returns when both are stored; if either fails, so does this, and the message is retried.
     */
    void store(SepiaImage image, String processedKey, String thumbnailKey) {
        byte[] thumbnail = image.thumbnailPng();
        CompletableFuture<Void> thumbnailStored = CompletableFuture.runAsync(
                () -> put(thumbnailKey, () -> new ByteArrayInputStream(thumbnail), thumbnail.length), thumbnailPuts);
        put(processedKey, image::openPng, image.pngLength());
        try {
            thumbnailStored.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    @PreDestroy
    void stop() {
        thumbnailPuts.shutdown();
    }

    private void put(String key, ContentStreamProvider png, long length) {
        s3.putObject(put -> put.bucket(bucket).key(key).contentType("image/png")
                        .overrideConfiguration(AwsTimeouts.upload(length)),
                RequestBody.fromContentProvider(png, length, "image/png"));
    }
}
