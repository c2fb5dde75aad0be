package dev.imagery.api.image;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

import dev.imagery.image.Image;
import dev.imagery.image.ImageState;

/** 409: the image is in a state that does not allow the request, or another request changed it first. */
class ImageConflictProblem extends ErrorResponseException {

    private ImageConflictProblem(String title, String detail, Image current) {
        super(HttpStatus.CONFLICT, problem(title, detail, current), null);
    }

    static ImageConflictProblem notUploadable(Image image) {
        String detail = image.getState() == ImageState.PROCESSED
                ? "Image " + image.getId() + " is already processed; create a new image to upload another file."
                : "Image " + image.getId() + " is " + image.getState() + " and takes no more uploads; create a new image.";
        return new ImageConflictProblem("Upload not allowed", detail, image);
    }

    static ImageConflictProblem lostRace(Image current) {
        return new ImageConflictProblem("Concurrent change",
                "Image " + current.getId() + " was changed by another request while this upload was stored"
                        + " (it is now " + current.getState() + "); retry the upload if it should replace that change.",
                current);
    }

    private static ProblemDetail problem(String title, String detail, Image current) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, detail);
        problem.setTitle(title);
        problem.setProperty("state", current.getState().toString());
        problem.setProperty("version", current.getVersion());
        return problem;
    }
}
