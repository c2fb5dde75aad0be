package dev.imagery.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for Imagery, as curl or the original page would talk to it: real requests
 * over the loopback, multipart bodies streamed from files.
 */
public final class ImageryClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI baseUrl;

    ImageryClient(RunningImagery imagery) {
        this(imagery.baseUrl());
    }

    /** A client for the API at {@code baseUrl}, e.g. one of several API processes of a reliability test. */
    public ImageryClient(URI baseUrl) {
        this.baseUrl = baseUrl.toString().endsWith("/") ? baseUrl : URI.create(baseUrl + "/");
    }

    public URI uri(String path) {
        return baseUrl.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** {@code size} zero bytes, made as they are read: a large upload without a large file or array. */
    static InputStream zeros(long size) {
        return new InputStream() {
            private long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 0 : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(length, left);
                Arrays.fill(buffer, offset, offset + n, (byte) 0);
                left -= n;
                return n;
            }
        };
    }

    /** {@code POST /image} with no body at all. */
    public HttpResponse<String> create() {
        return send(HttpRequest.newBuilder(uri("image")).POST(BodyPublishers.noBody()));
    }

    public String createId() {
        HttpResponse<String> response = create();
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError("POST /image answered " + response.statusCode() + ": " + response.body());
        }
        return json(response).get("id").asString();
    }

    public HttpResponse<String> get(String id) {
        return send(HttpRequest.newBuilder(uri("image/" + id)).GET());
    }

    public JsonNode image(String id) {
        return json(get(id));
    }

    /** {@code POST /image/{id}/upload} with the file in the multipart field {@code file}. */
    public HttpResponse<String> upload(String id, Path file, String accept) {
        try {
            return upload(id, BodyPublishers.ofFile(file), file.getFileName().toString(), accept);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public HttpResponse<String> upload(String id, BodyPublisher content, String fileName, String accept) {
        return send(uploadRequest(id, content, fileName, accept));
    }

    public HttpRequest.Builder uploadRequest(String id, BodyPublisher content, String fileName, String accept) {
        String boundary = "imagery-" + UUID.randomUUID();
        BodyPublisher body = BodyPublishers.concat(
                BodyPublishers.ofString("--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"file\"; filename=\"" + fileName + "\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n"),
                content,
                BodyPublishers.ofString("\r\n--" + boundary + "--\r\n"));
        return HttpRequest.newBuilder(uri("image/" + id + "/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Accept", accept)
                .POST(body);
    }

    /** Polls {@code GET /image/{id}} until the state is one of {@code states}; fails after {@code timeout}. */
    public JsonNode awaitState(String id, Duration timeout, String... states) {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode image = image(id);
        while (Instant.now().isBefore(deadline)) {
            for (String state : states) {
                if (state.equals(image.get("state").asString())) {
                    return image;
                }
            }
            sleep(Duration.ofMillis(100));
            image = image(id);
        }
        throw new AssertionError("Image " + id + " did not reach " + String.join("/", states) + " within " + timeout + ": " + image);
    }

    public HttpResponse<byte[]> download(URI url) {
        try {
            return http.send(HttpRequest.newBuilder(url).GET().build(), BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("GET " + url + " failed", e);
        }
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("Request failed", e);
        }
    }

    /**
     * Like {@link #send} but a refused or reset connection (a killed or stopping server) is an answer too:
     * empty instead of an AssertionError.
     */
    public Optional<HttpResponse<String>> attempt(HttpRequest.Builder request) {
        try {
            return Optional.of(http.send(request.timeout(Duration.ofSeconds(60)).build(), BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    /** The multipart upload request of {@link #upload(String, Path, String)}, for {@link #attempt}. */
    public HttpRequest.Builder uploadRequest(String id, Path file, String accept) {
        try {
            return uploadRequest(id, BodyPublishers.ofFile(file), file.getFileName().toString(), accept);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
