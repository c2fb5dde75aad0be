package dev.imagery.e2e.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.imagery.e2e.ImageryClient;
import dev.imagery.local.EmbeddedAws;
import dev.imagery.local.ResourceSpec;
import dev.imagery.local.child.ChildClasses;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Imagery as a small fleet on this machine: the embedded AWS servers (in this JVM's children, so a test can stop
 * and start S3, DynamoDB or SQS), two API processes and two worker processes started from the real jars with
 * the configuration an operator would give them, plus AWS clients to look behind the API's back.
 *
 * <p>The queue's visibility timeout is short ({@value #VISIBILITY_SECONDS} s) and the workers' heartbeat keeps
 * a message invisible in steps of the same length, so a killed worker's messages come back within seconds; the
 * sweeper runs every 3 s and re-sends uploads older than {@value #STUCK_AFTER_SECONDS} s. One cluster per test
 * JVM ({@link #shared()}): scenarios that kill or stop something call {@link #heal()} afterwards.
 */
final class ImageryCluster {

    static final int VISIBILITY_SECONDS = 6;
    static final int STUCK_AFTER_SECONDS = 20;
    static final int MAX_RECEIVE_COUNT = 10;
    static final Duration READY = Duration.ofSeconds(180);

    private static ImageryCluster shared;

    private final EmbeddedAws aws;
    private final List<ServiceJar> apis = new ArrayList<>();
    private final List<ServiceJar> workers = new ArrayList<>();
    private final SqsClient sqs;
    private final S3Client s3;
    private final Path logDir;

    private ImageryCluster(int apiCount, int workerCount) throws IOException {
        logDir = Files.createDirectories(Path.of("target", "reliability",
                "cluster-" + Instant.now().toString().replace(':', '-')).toAbsolutePath());
        ResourceSpec resources = ResourceSpec.defaults().withVisibilityTimeoutSeconds(VISIBILITY_SECONDS)
                .withMaxReceiveCount(MAX_RECEIVE_COUNT);
        // Persistent: a stopped and restarted server keeps its items, objects and messages, as AWS would.
        aws = EmbeddedAws.start(EmbeddedAws.Options.defaults().resources(resources).closeOnExit(false));
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "imagery-cluster-stop"));
        sqs = aws.endpoints().sqsClient();
        s3 = aws.endpoints().s3Client();
        Path agent = ChildClasses.jarIn(aws.dataDirectory());
        // Copies: a build running meanwhile (./mvnw package) rewrites target/*.jar, which breaks a JVM that
        // starts from the half-written file or loads a class lazily from the replaced one.
        Path apiJar = Files.copy(repository().resolve("imagery-api/target/imagery-api.jar"), logDir.resolve("imagery-api.jar"));
        Path workerJar = Files.copy(repository().resolve("imagery-worker/target/imagery-worker.jar"),
                logDir.resolve("imagery-worker.jar"));
        Map<String, String> env = new LinkedHashMap<>(aws.environment());
        for (int n = 1; n <= apiCount; n++) {
            apis.add(new ServiceJar("api-" + n, apiJar, freePort(),
                    env, List.of("--imagery.sweeper.every=PT3S", "--imagery.sweeper.stuck-after=PT" + STUCK_AFTER_SECONDS + "S"),
                    agent, logDir));
        }
        for (int n = 1; n <= workerCount; n++) {
            workers.add(new ServiceJar("worker-" + n, workerJar,
                    freePort(), env, List.of("--imagery.worker.heartbeat.every=PT2S",
                            "--imagery.worker.heartbeat.extension=PT" + VISIBILITY_SECONDS + "S"), agent, logDir));
        }
        System.out.println("[reliability] AWS " + aws.environment() + "; logs in " + logDir);
        heal();
    }

    /** The fleet of this test JVM, started on first use, stopped when the JVM exits. */
    static synchronized ImageryCluster shared() {
        if (shared == null) {
            try {
                shared = new ImageryCluster(2, 2);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** Thaws a frozen AWS server, starts whatever is not running (AWS servers, services) and waits until every service is ready. */
    ImageryCluster heal() {
        for (dev.imagery.local.AwsService service : dev.imagery.local.AwsService.values()) {
            if (aws.isFrozen(service)) {
                aws.thaw(service);
            }
            if (!aws.isRunning(service)) {
                start(service);
            }
        }
        Stream.concat(apis.stream(), workers.stream()).filter(service -> !service.isAlive()).forEach(ServiceJar::start);
        Stream.concat(apis.stream(), workers.stream()).forEach(service -> service.awaitReady(READY));
        return this;
    }

    /** Stops one AWS server: its port refuses connections, as an unreachable AWS endpoint would. */
    void stop(dev.imagery.local.AwsService service) {
        aws.stop(service);
    }

    /** Starts a stopped AWS server again; returns once Imagery's resource on it answers. */
    void start(dev.imagery.local.AwsService service) {
        aws.start(service);
    }

    /** Freezes one AWS server (SIGSTOP): connections are accepted but never answered, as with a hung server. */
    void freeze(dev.imagery.local.AwsService service) {
        aws.freeze(service);
    }

    void thaw(dev.imagery.local.AwsService service) {
        aws.thaw(service);
    }

    EmbeddedAws aws() {
        return aws;
    }

    List<ServiceJar> apis() {
        return apis;
    }

    List<ServiceJar> workers() {
        return workers;
    }

    /** A client of API {@code n} (0-based). */
    ImageryClient client(int n) {
        return new ImageryClient(apis.get(n).baseUrl());
    }

    ImageryClient client() {
        return client(0);
    }

    SqsClient sqs() {
        return sqs;
    }

    S3Client s3() {
        return s3;
    }

    String queueUrl() {
        return aws.queueUrl();
    }

    String deadLetterQueueUrl() {
        return aws.deadLetterQueueUrl();
    }

    Path logDir() {
        return logDir;
    }

    /** Sends a raw body to the work queue, as anything with the queue's URL could. */
    void sendRaw(String body) {
        sqs.sendMessage(send -> send.queueUrl(queueUrl()).messageBody(body));
    }

    /** Visible plus in-flight messages of a queue (approximate, as SQS reports them). */
    int messages(String queueUrl) {
        Map<QueueAttributeName, String> attributes = sqs.getQueueAttributes(get -> get.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    /** Takes every message off the dead-letter queue (deleting them) and returns their bodies. */
    List<String> drainDeadLetters() {
        List<String> bodies = new ArrayList<>();
        while (true) {
            List<Message> batch = sqs.receiveMessage(receive -> receive.queueUrl(deadLetterQueueUrl())
                    .maxNumberOfMessages(10).waitTimeSeconds(1).visibilityTimeout(30)).messages();
            if (batch.isEmpty()) {
                return bodies;
            }
            for (Message message : batch) {
                bodies.add(message.body());
                sqs.deleteMessage(delete -> delete.queueUrl(deadLetterQueueUrl()).receiptHandle(message.receiptHandle()));
            }
        }
    }

    /** Keys of the bucket under {@code prefix}. */
    List<String> objects(String prefix) {
        return s3.listObjectsV2Paginator(list -> list.bucket(aws.resources().bucket()).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    boolean exists(String key) {
        try {
            s3.headObject(head -> head.bucket(aws.resources().bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    synchronized void close() {
        Stream.concat(apis.stream(), workers.stream()).parallel().forEach(service -> service.terminate(Duration.ofSeconds(30)));
        sqs.close();
        s3.close();
        aws.close();
    }

    private static Path repository() {
        String configured = System.getProperty("imagery.repo", "");
        return (configured.isBlank() ? Path.of("").toAbsolutePath().getParent() : Path.of(configured)).toAbsolutePath()
                .normalize();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
