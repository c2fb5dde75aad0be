package dev.imagery.e2e.reliability;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.imagery.e2e.ImageryClient;
import dev.imagery.e2e.ServiceJar;
import dev.imagery.test.corpus.Corpus;
import tools.jackson.databind.JsonNode;

/** What the scenarios keep asking of a fleet: which images a worker holds, and what the records say. */
final class Fleet {

    private static final Pattern PROCESSING = Pattern.compile("Processing image ([0-9a-f-]{36})");
    private static final Pattern DONE = Pattern.compile("(?:Processed image|Image) ([0-9a-f-]{36})");

    /** Photos of a few sizes, so a steady load has images of 0.3 to 4 megapixels in flight. */
    static final List<Path> PHOTOS = List.of(
            Corpus.photo("small_0.9MP_hubble_deep_field.jpg"),
            Corpus.photo("medium_4.1MP_LadyBird.jpg"),
            Corpus.photo("small_1.3MP_GreenMeadow_progressive.jpg"),
            Corpus.photo("small_0.3MP_chelsea.png"),
            Corpus.photo("medium_4.1MP_Path.jpg"));

    /** Photos that take a worker a second or more each: a backlog of them keeps both workers busy. */
    static final List<Path> MEDIUM_PHOTOS = List.of(
            Corpus.photo("medium_4.1MP_LadyBird.jpg"),
            Corpus.photo("medium_4.1MP_Path.jpg"),
            Corpus.photo("medium_6.1MP_flickr_2569067123.jpg"));

    private Fleet() {
    }

    /** Images the worker's current run started and has not finished (from its log). */
    static Set<String> inFlight(ServiceJar worker) {
        Set<String> started = new LinkedHashSet<>();
        for (ServiceJar.Line line : worker.linesOfThisRun()) {
            Matcher processing = PROCESSING.matcher(line.text());
            if (processing.find()) {
                started.add(processing.group(1));
                continue;
            }
            Matcher done = DONE.matcher(line.text());
            if (done.find()) {
                started.remove(done.group(1));
            }
        }
        return started;
    }

    /** How often the workers started work on each image (a redelivered or duplicate message counts again). */
    static Map<String, Integer> starts(List<ServiceJar> workers) {
        Map<String, Integer> starts = new ConcurrentHashMap<>();
        for (ServiceJar worker : workers) {
            for (ServiceJar.Line line : worker.lines()) {
                Matcher processing = PROCESSING.matcher(line.text());
                if (processing.find()) {
                    starts.merge(processing.group(1), 1, Integer::sum);
                }
            }
        }
        return starts;
    }

    /** The rank of a state on the way created → uploaded → processed|failed; a rank never decreases. */
    static int rank(String state) {
        return switch (state) {
            case "created" -> 0;
            case "uploaded" -> 1;
            case "processed", "failed" -> 2;
            default -> throw new AssertionError("unknown state " + state);
        };
    }

    /** Records whose state is not {@code state}, as "id: state" lines for assertion messages. */
    static List<String> notIn(ImageryClient client, List<String> ids, String state) {
        List<String> wrong = new ArrayList<>();
        for (String id : ids) {
            JsonNode image = client.image(id);
            if (!state.equals(image.get("state").asString())) {
                wrong.add(id + ": " + image.get("state").asString());
            }
        }
        return wrong;
    }

    /**
     * A processed record whose keys do not point to existing objects is half-written: for each, a line saying
     * what is missing.
     */
    static List<String> halfWritten(ImageryCluster cluster, ImageryClient client, List<String> ids) {
        List<String> broken = new ArrayList<>();
        for (String id : ids) {
            JsonNode image = client.image(id);
            if (!"processed".equals(image.get("state").asString())) {
                continue;
            }
            for (String field : List.of("rawS3Key", "processedS3Key", "thumbnailS3Key")) {
                JsonNode key = image.get(field);
                if (key == null || key.isNull() || !cluster.exists(key.asString())) {
                    broken.add(id + ": " + field + " " + key);
                }
            }
        }
        return broken;
    }
}
