package dev.imagery.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration the services read (README.md, "Configuration"), as an ordered map of environment
 * variables, and its {@code imagery-local.env} file form. Spring reads the same keys as properties.
 */
public final class ImageryEnvironment {

    public static final String AWS_REGION = "AWS_REGION";
    public static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    public static final String IMAGERY_TABLE = "IMAGERY_TABLE";
    public static final String IMAGERY_BUCKET = "IMAGERY_BUCKET";
    public static final String IMAGERY_QUEUE = "IMAGERY_QUEUE";
    public static final String IMAGERY_DEAD_LETTER_QUEUE = "IMAGERY_DEAD_LETTER_QUEUE";

    /** The file the launcher writes and both services import from their working directory. */
    public static final String ENV_FILE_NAME = "imagery-local.env";

    private ImageryEnvironment() {
    }

    /** AWS_REGION, credentials, the three endpoint URLs, then the resource names (queues as URLs). */
    public static Map<String, String> of(AwsEndpoints endpoints, ResourceSpec resources, QueueUrls queues) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(AWS_REGION, endpoints.region());
        env.put(AWS_ACCESS_KEY_ID, endpoints.accessKeyId());
        env.put(AWS_SECRET_ACCESS_KEY, endpoints.secretAccessKey());
        for (AwsService service : AwsService.values()) {
            env.put(service.endpointKey(), endpoints.endpoint(service).toString());
        }
        env.put(IMAGERY_TABLE, resources.table());
        env.put(IMAGERY_BUCKET, resources.bucket());
        env.put(IMAGERY_QUEUE, queues.queue());
        env.put(IMAGERY_DEAD_LETTER_QUEUE, queues.deadLetterQueue());
        return Collections.unmodifiableMap(env);
    }

    /**
     * Writes plain {@code KEY=value} lines (readable as a shell script and as a Java properties file; values
     * are URLs and names, which need no quoting in either). Written to a temp file and moved, so a service
     * starting concurrently never reads half a file.
     */
    public static Path writeEnvFile(Path file, Map<String, String> environment) {
        StringBuilder text = new StringBuilder()
                .append("# Written by imagery-local: the AWS stack running on this machine (removed when it stops).\n");
        environment.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        try {
            Path absolute = file.toAbsolutePath();
            Path temp = Files.createTempFile(absolute.getParent(), ".imagery-local", ".tmp");
            Files.writeString(temp, text);
            return Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }
}
