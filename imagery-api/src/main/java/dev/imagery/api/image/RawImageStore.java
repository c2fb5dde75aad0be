package dev.imagery.api.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.multipart.MultipartFile;

import dev.imagery.aws.AwsTimeouts;
import dev.imagery.aws.ImageryResources;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Uploads in the bucket. The servlet container spools a multipart file to disk as it arrives, and
 * the SDK streams it from there with a known length: memory stays bounded whatever the file size,
 * and a retried S3 request simply reopens the file.
 */
@Component
class RawImageStore {

    private static final Logger log = LoggerFactory.getLogger(RawImageStore.class);

    private final S3Client s3;
    private final String bucket;

    RawImageStore(S3Client s3, ImageryResources resources) {
        this.s3 = s3;
        this.bucket = resources.bucket();
    }

    void store(String key, MultipartFile file) {
        if (file.isEmpty()) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "The uploaded file is empty; choose an image file.");
            problem.setTitle("Empty file");
            throw new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
        }
        String contentType = safeContentType(file);
        s3.putObject(put -> put.bucket(bucket).key(key).contentType(contentType)
                        .overrideConfiguration(AwsTimeouts.upload(file.getSize())),
                RequestBody.fromContentProvider(() -> open(file), file.getSize(), contentType));
    }

    private static InputStream open(MultipartFile file) {
        try {
            return file.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("The spooled upload could not be read", e);
        }
    }

    /** Best effort: an orphan left by a failure here is harmless and bounded by the client's retries. */
    void delete(String key) {
        try {
            s3.deleteObject(delete -> delete.bucket(bucket).key(key)
                    .overrideConfiguration(timeouts -> timeouts.apiCallTimeout(AwsTimeouts.QUICK_CALL)));
        } catch (SdkException e) {
            log.warn("Could not delete orphaned upload {}: {}", key, e.getMessage());
        }
    }

    /**
     * The type the browser will see when it opens the presigned link: only image types are kept, so
     * an upload cannot make the bucket serve HTML or scripts.
     */
    private static String safeContentType(MultipartFile file) {
        String type = file.getContentType();
        return type != null && type.startsWith("image/") && !type.contains("svg") ? type : "application/octet-stream";
    }
}
