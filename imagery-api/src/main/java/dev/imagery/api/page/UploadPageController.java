package dev.imagery.api.page;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.servlet.MultipartConfigElement;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The upload page at {@code /}, with the upload limit this server enforces written into it, so the page tells
 * the limit and checks a file against it before sending whatever {@code IMAGERY_MAX_UPLOAD_SIZE} is. The page
 * is still plain HTML (its CSS and script are static files); it is filled in once, at start-up.
 */
@Controller
class UploadPageController {

    private static final long KB = 1024;
    private static final long MB = 1024 * KB;

    private final String page;

    UploadPageController(@Value("classpath:page/index.html") Resource template, MultipartConfigElement multipart)
            throws IOException {
        long limit = limit(multipart.getMaxFileSize(), multipart.getMaxRequestSize());
        boolean limited = limit > 0;
        page = template.getContentAsString(StandardCharsets.UTF_8)
                .replace("{{maxBytes}}", limited ? Long.toString(limit) : "")
                .replace("{{maxSize}}", limited ? readable(limit) : "")
                .replace("{{sizeHint}}", limited ? ", up to " + readable(limit) : "");
    }

    @GetMapping(path = {"/", "/index.html"}, produces = MediaType.TEXT_HTML_VALUE)
    @ResponseBody
    String page() {
        return page;
    }

    /** The smaller of the file and request limits that are set (Tomcat: negative means none); 0 when none is. */
    static long limit(long maxFileSize, long maxRequestSize) {
        if (maxFileSize <= 0) return Math.max(maxRequestSize, 0);
        return maxRequestSize <= 0 ? maxFileSize : Math.min(maxFileSize, maxRequestSize);
    }

    /** "50 MB", "1.5 MB", "512 kB": the units the page uses for a chosen file's size. */
    static String readable(long bytes) {
        if (bytes >= MB) {
            return bytes % MB == 0 ? bytes / MB + " MB" : String.format(Locale.ROOT, "%.1f MB", bytes / (double) MB);
        }
        return bytes >= KB ? bytes / KB + " kB" : bytes + " bytes";
    }
}
