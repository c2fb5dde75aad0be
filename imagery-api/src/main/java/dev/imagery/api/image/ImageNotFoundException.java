package dev.imagery.api.image;

import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 404: no image has this id. */
class ImageNotFoundException extends ErrorResponseException {

    ImageNotFoundException(UUID id) {
        super(HttpStatus.NOT_FOUND, problem(id), null);
    }

    private static ProblemDetail problem(UUID id) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "There is no image with id " + id + ".");
        problem.setTitle("Image not found");
        return problem;
    }
}
