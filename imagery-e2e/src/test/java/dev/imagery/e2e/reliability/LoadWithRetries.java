package dev.imagery.e2e.reliability;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.imagery.e2e.ImageryClient;

/**
 * A steady stream of users, each creating an image and uploading a photo, as a well-behaved client does it:
 * a 503 is retried after its Retry-After (shortened to a second here), anything else is final. Counts every
 * answer by status, and keeps what a 5xx other than 503, or a 503 without Retry-After, looked like.
 */
final class LoadWithRetries implements Runnable {

    private final List<ImageryClient> apis;
    private final List<Path> photos;
    private final Duration pause;
    private final AtomicBoolean running = new AtomicBoolean(true);
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final List<String> badAnswers = new CopyOnWriteArrayList<>();
    final List<String> completed = new CopyOnWriteArrayList<>();
    final AtomicInteger connectionFailures = new AtomicInteger();
    final AtomicInteger landedBeforeCut = new AtomicInteger();

    LoadWithRetries(List<ImageryClient> apis, List<Path> photos, Duration pause) {
        this.apis = apis;
        this.photos = photos;
        this.pause = pause;
    }

    void stop() {
        running.set(false);
    }

    @Override
    public void run() {
        for (int n = 0; running.get(); n++) {
            int first = n;
            Optional<String> id = untilAnswered(first, api -> HttpRequest.newBuilder(api.uri("image"))
                    .POST(HttpRequest.BodyPublishers.noBody()), 201).map(response -> ImageryClient.json(response).get("id").asString());
            if (id.isEmpty()) {
                continue;
            }
            Path photo = photos.get(n % photos.size());
            if (untilAnswered(first, api -> api.uploadRequest(id.get(), photo, "application/json"), 200).isPresent()) {
                completed.add(id.get());
                // A GET as the page would poll it: must not fail either.
                untilAnswered(first, api -> HttpRequest.newBuilder(api.uri("image/" + id.get())).GET(), 200);
            }
            Reliability.sleep(pause);
        }
    }

    int count(int status) {
        AtomicInteger count = statuses.get(status);
        return count == null ? 0 : count.get();
    }

    int total() {
        return statuses.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    int serverErrorsOtherThan503() {
        return statuses.entrySet().stream().filter(e -> e.getKey() >= 500 && e.getKey() != 503)
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /**
     * Sends until the answer is not a 503 (or the load is stopped); empty unless it is {@code expected}. A
     * refused or broken connection (a killed API) is retried on the next API, as a load balancer would. After
     * a cut connection, a 409 saying the image is already processed is the cut attempt's success: the upload
     * landed before the API died and the worker finished it before the retry arrived.
     */
    private Optional<HttpResponse<String>> untilAnswered(int first,
            Function<ImageryClient, HttpRequest.Builder> request, int expected) {
        int api = first;
        boolean cut = false;
        for (int attempt = 0; attempt < 120; attempt++) {
            ImageryClient client = apis.get(api % apis.size());
            Optional<HttpResponse<String>> answer = client.attempt(request.apply(client));
            if (answer.isEmpty()) {
                connectionFailures.incrementAndGet();
                cut = true;
                api++;
                Reliability.sleep(Duration.ofMillis(200));
                continue;
            }
            HttpResponse<String> response = answer.get();
            statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
            if (response.statusCode() == 503) {
                boolean wellFormed = response.headers().firstValue("Retry-After").isPresent()
                        && response.headers().firstValue("Content-Type").orElse("").equals("application/problem+json");
                if (!wellFormed) {
                    badAnswers.add("503 without Retry-After or problem+json: " + response.headers().map() + " " + response.body());
                }
                Reliability.sleep(Duration.ofSeconds(1));
                continue;
            }
            if (cut && response.statusCode() == 409 && "processed".equals(ImageryClient.json(response).path("state").asString())) {
                landedBeforeCut.incrementAndGet();
                return answer;
            }
            if (response.statusCode() != expected) {
                badAnswers.add(response.statusCode() + " " + response.request().method() + " " + response.uri() + ": "
                        + response.body());
                return Optional.empty();
            }
            return answer;
        }
        badAnswers.add("still no answer after 120 attempts");
        return Optional.empty();
    }
}
