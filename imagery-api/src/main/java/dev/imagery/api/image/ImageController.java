package dev.imagery.api.image;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import dev.imagery.image.Image;
import dev.imagery.image.ImageConflictException;
import dev.imagery.image.ImageKeys;
import dev.imagery.image.ImageRepository;
import dev.imagery.image.Transition;
import dev.imagery.queue.ProcessImageMessage;

/**
 * The image process over HTTP. Each handler is one step of the state machine; any of them may be
 * retried after any failure: creating is a fresh id, uploading is allowed again until the image is
 * processed, and the message it sends is idempotent for the worker.
 */
@RestController
@RequestMapping("/image")
class ImageController {

    private static final Logger log = LoggerFactory.getLogger(ImageController.class);

    private final ImageRepository images;
    private final FinishedImageCache reads;
    private final RawImageStore rawImages;
    private final ProcessingQueue queue;
    private final ImageLinks links;

    ImageController(ImageRepository images, FinishedImageCache reads, RawImageStore rawImages, ProcessingQueue queue,
            ImageLinks links) {
        this.images = images;
        this.reads = reads;
        this.rawImages = rawImages;
        this.queue = queue;
        this.links = links;
    }

    /** Starts a process. Takes no input: the original page posts an empty form. */
    @PostMapping
    ResponseEntity<ImageResponse> create() {
        Image image = images.create();
        log.info("Created image {}", image.getId());
        return ResponseEntity.created(URI.create("/image/" + image.getId())).body(ImageResponse.of(image, links));
    }

    @GetMapping("/{id}")
    ImageResponse get(@PathVariable UUID id) {
        return ImageResponse.of(find(id), links);
    }

    /**
     * created|uploaded → uploaded: stores the file under a fresh key, records it with a conditional
     * write, then hands the work to the queue. If the queue send fails after the write, the client's
     * retry repeats the whole step (uploaded → uploaded) and sends again.
     */
    @PostMapping("/{id}/upload")
    ResponseEntity<?> upload(@PathVariable UUID id, @RequestParam("file") MultipartFile file,
            @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        Image image = find(id);
        if (!Transition.UPLOAD.allowedFrom(image.getState())) {
            throw ImageConflictProblem.notUploadable(image);
        }
        String rawKey = ImageKeys.newRawKey(id);
        rawImages.store(rawKey, file);
        Image uploaded;
        try {
            uploaded = images.transition(image, Transition.UPLOAD, next -> next.setRawS3Key(rawKey));
        } catch (ImageConflictException e) {
            rawImages.delete(rawKey); // ours lost: leave no orphan behind
            if (e.current() == null) {
                throw new ImageNotFoundException(id);
            }
            // Lost to the worker (now processed or failed): a retry cannot succeed, so say that, not "retry".
            throw Transition.UPLOAD.allowedFrom(e.current().getState())
                    ? ImageConflictProblem.lostRace(e.current()) : ImageConflictProblem.notUploadable(e.current());
        }
        queue.send(ProcessImageMessage.process(id));
        log.info("Uploaded image {} ({} bytes) as {}", id, file.getSize(), rawKey);

        if (wantsHtml(accept)) {
            // A browser form post (the original page): show the image's page, like the original.
            return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/#view=" + id)).build();
        }
        return ResponseEntity.ok(ImageResponse.of(uploaded, links));
    }

    private Image find(UUID id) {
        return reads.find(id).orElseThrow(() -> new ImageNotFoundException(id));
    }

    private static boolean wantsHtml(String accept) {
        if (accept == null) {
            return false;
        }
        List<MediaType> types = MediaType.parseMediaTypes(accept);
        return types.stream().anyMatch(type -> type.equalsTypeAndSubtype(MediaType.TEXT_HTML));
    }
}
