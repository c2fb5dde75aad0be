package dev.imagery.api.problem;

import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.awspring.cloud.sqs.operations.MessagingOperationFailedException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Every error as RFC 9457 problem+json with a detail a person can act on. Bad input is a 4xx; an AWS
 * dependency that cannot be reached is a 503 with Retry-After (the request is safe to retry: every
 * step is idempotent); anything else is a 500 without internals.
 */
@RestControllerAdvice
class ApiProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblemHandler.class);
    private static final String RETRY_AFTER_SECONDS = "5";

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail malformedArgument(MethodArgumentTypeMismatchException e) {
        boolean id = e.getRequiredType() == UUID.class;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, id
                ? "'" + e.getValue() + "' is not an image id; ids are UUIDs such as 3f2b8c1e-5d4a-4b7e-9c3f-1a2b3c4d5e6f."
                : "'" + e.getValue() + "' is not a valid value for " + e.getName() + ".");
        problem.setTitle(id ? "Malformed image id" : "Malformed request");
        return problem;
    }

    /** Not a multipart request at all (the size limit has its own 413 handler in the base class). */
    @ExceptionHandler(MultipartException.class)
    ProblemDetail notMultipart(MultipartException e) {
        if (e instanceof MaxUploadSizeExceededException tooLarge) {
            return tooLarge.getBody();
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "Send the image as multipart/form-data with the file in the field 'file'.");
        problem.setTitle("Not a file upload");
        return problem;
    }

    @ExceptionHandler({SdkException.class, MessagingOperationFailedException.class})
    ResponseEntity<ProblemDetail> awsUnavailable(RuntimeException e) {
        log.warn("AWS dependency failed: {}", e.toString());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "A storage or queue service is temporarily unavailable. Nothing was lost; retry the request.");
        problem.setTitle("Service unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(problem);
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("Unexpected error", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "Something went wrong on our side. Retrying is safe.");
        problem.setTitle("Internal error");
        return problem;
    }
}
