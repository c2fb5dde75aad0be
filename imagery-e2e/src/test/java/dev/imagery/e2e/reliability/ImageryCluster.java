package dev.imagery.e2e.reliability;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.opentest4j.TestAbortedException;

import dev.imagery.e2e.ImageryClient;
import dev.imagery.e2e.ServiceJar;
import dev.imagery.local.AwsEndpoints;
import dev.imagery.local.AwsResources;
import dev.imagery.local.AwsStack;
import dev.imagery.local.EmbeddedAws;
import dev.imagery.local.ImageryEnvironment;
import dev.imagery.local.ResourceSpec;
import dev.imagery.local.child.ChildClasses;
import dev.imagery.local.emulator.LocalPorts;
import dev.imagery.test.aws.Backend;
import dev.imagery.test.aws.TestAws;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Imagery as a small fleet on this machine: the embedded AWS servers (in this JVM's children, so a test can stop
 * and start S3, DynamoDB or SQS) or LocalStack in Docker, two API processes and two worker processes started
 * from the real jars with the configuration an operator would give them, plus AWS clients to look behind the
 * API's back.
 *
 * <p>The queue's visibility timeout is short ({@value #VISIBILITY_SECONDS} s) and the workers' heartbeat keeps
 * a message invisible in steps of the same length, so a killed worker's messages come back within seconds; the
 * sweeper runs every 3 s and re-sends uploads older than {@value #STUCK_AFTER_SECONDS} s. One cluster per backend
 * and test JVM ({@link #shared(Backend)}): scenarios that kill or stop something call {@link #heal()} afterwards.
 */
final class ImageryCluster {

    static final int VISIBILITY_SECONDS = 6;
    static final int STUCK_AFTER_SECONDS = 20;
    static final int MAX_RECEIVE_COUNT = 10;
    static final Duration READY = Duration.ofSeconds(180);

    /** The workers' heartbeat keeps a message invisible in steps of the queue's visibility timeout. */
    private static final List<String> WORKER_SETTINGS = List.of("--imagery.worker.heartbeat.every=PT2S",
            "--imagery.worker.heartbeat.extension=PT" + VISIBILITY_SECONDS + "S");

    private static final Map<Backend, ImageryCluster> SHARED = new EnumMap<>(Backend.class);
    private static final Set<String> PRINTED_SKIPS = new HashSet<>();

    /** The embedded servers ({@link EmbeddedAws}) or the fleet's resources on LocalStack. */
    private final AwsStack aws;
    private final List<ServiceJar> apis = new ArrayList<>();
    private final List<ServiceJar> workers = new ArrayList<>();
    private final SqsClient sqs;
    private final S3Client s3;
    private final Path logDir;
    private final Path agent;
    private final Path workerJar;

    private ImageryCluster(Backend backend, int apiCount, int workerCount) throws IOException {
        logDir = Files.createDirectories(Path.of("target", "reliability",
                "cluster-" + Instant.now().toString().replace(':', '-')).toAbsolutePath());
        ResourceSpec resources = ResourceSpec.defaults().withVisibilityTimeoutSeconds(VISIBILITY_SECONDS)
                .withMaxReceiveCount(MAX_RECEIVE_COUNT);
        aws = switch (backend) {
            // Persistent: a stopped and restarted server keeps its items, objects and messages, as AWS would.
            case EMBEDDED -> EmbeddedAws.start(EmbeddedAws.Options.defaults().resources(resources).closeOnExit(false));
            // The test JVM's one LocalStack container: queues of the fleet's own, so their 6 s visibility timeout
            // does not change the queue other LocalStack tests use.
            case LOCALSTACK -> onLocalStack(resources.withQueues("imagery-reliability", "imagery-reliability-dlq"));
        };
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "imagery-cluster-stop"));
        sqs = aws.endpoints().sqsClient();
        s3 = aws.endpoints().s3Client();
        agent = ChildClasses.jarIn(logDir);
        // Copies: a build running meanwhile (./mvnw package) rewrites target/*.jar, which breaks a JVM that
        // starts from the half-written file or loads a class lazily from the replaced one.
        Path apiJar = Files.copy(ServiceJar.built("imagery-api"), logDir.resolve("imagery-api.jar"));
        workerJar = Files.copy(ServiceJar.built("imagery-worker"), logDir.resolve("imagery-worker.jar"));
        // All at once: a port allocated alone is free again until its service binds it, and the kernel may hand
        // it to the next service too (two APIs on one port, seen in CI).
        Iterator<Integer> ports = LocalPorts.allocate(apiCount + workerCount).iterator();
        for (int n = 1; n <= apiCount; n++) {
            apis.add(service("api-" + n, apiJar, ports.next(), List.of("--imagery.sweeper.every=PT3S",
                    "--imagery.sweeper.stuck-after=PT" + STUCK_AFTER_SECONDS + "S")));
        }
        for (int n = 1; n <= workerCount; n++) {
            workers.add(service("worker-" + n, workerJar, ports.next(), WORKER_SETTINGS));
        }
        System.out.println("[reliability] AWS " + aws.environment() + "; logs in " + logDir);
        heal();
    }

    /**
     * One service of the fleet on a port of its own, configured as an operator would (environment and command
     * line). The {@code -javaagent} ends it when our stdin pipe closes: it cannot outlive the test JVM.
     */
    private ServiceJar service(String name, Path jar, int port, List<String> arguments) {
        Map<String, String> environment = new LinkedHashMap<>(aws.environment());
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("SERVER_ADDRESS", "127.0.0.1");
        return new ServiceJar(name, jar, port, logDir, List.of("-javaagent:" + agent, "-Xmx512m", "-XX:+UseSerialGC"),
                environment, arguments);
    }

    /** The fleet of this test JVM on the embedded servers. */
    static ImageryCluster shared() {
        return shared(Backend.EMBEDDED);
    }

    /**
     * The fleet of this test JVM on {@code backend}, started on first use, stopped when the JVM exits. Without
     * Docker, LOCALSTACK aborts the calling test (reported skipped) before anything is started.
     */
    static synchronized ImageryCluster shared(Backend backend) {
        if (backend == Backend.LOCALSTACK) {
            Optional<String> noDocker = TestAws.localStackUnavailableReason();
            if (noDocker.isPresent()) {
                throw skipped("LocalStack tests skipped: " + noDocker.get());
            }
        }
        Reliability.backend = backend;
        ImageryCluster cluster = SHARED.get(backend);
        if (cluster == null) {
            try {
                cluster = new ImageryCluster(backend, 2, 2);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            SHARED.put(backend, cluster);
        }
        return cluster;
    }

    /**
     * Skips the calling scenario on LocalStack, which runs S3, SQS and DynamoDB in one container: one of them
     * cannot stop while the others answer. (docker pause freezes all three at once: another scenario.)
     */
    static void assumeOneServiceCanStop(Backend backend) {
        if (backend == Backend.LOCALSTACK) {
            throw skipped("Skipped on LocalStack: its one container serves S3, SQS and DynamoDB, so one of them"
                    + " cannot be stopped while the others run");
        }
    }

    private static synchronized TestAbortedException skipped(String reason) {
        if (PRINTED_SKIPS.add(reason)) {
            // Straight to the process's stderr: Maven shows it even when surefire redirects the test output.
            new PrintStream(new FileOutputStream(FileDescriptor.err), true)
                    .println("[reliability] " + reason);
        }
        return new TestAbortedException(reason);
    }

    /** The fleet's resources on the shared LocalStack container, created as for the embedded servers. */
    private static AwsStack onLocalStack(ResourceSpec resources) {
        AwsEndpoints endpoints = TestAws.localStack().endpoints();
        return new LocalStackResources(endpoints, resources,
                ImageryEnvironment.of(endpoints, resources, AwsResources.ensure(endpoints, resources)));
    }

    private record LocalStackResources(AwsEndpoints endpoints, ResourceSpec resources, Map<String, String> environment)
            implements AwsStack {
    }

    /** Thaws a frozen AWS server, starts whatever is not running (AWS servers, services) and waits until every service is ready. */
    ImageryCluster heal() {
        if (aws instanceof EmbeddedAws embedded) {
            for (dev.imagery.local.AwsService service : dev.imagery.local.AwsService.values()) {
                if (embedded.isFrozen(service)) {
                    embedded.thaw(service);
                }
                if (!embedded.isRunning(service)) {
                    embedded.start(service);
                }
            }
        }
        Stream.concat(apis.stream(), workers.stream()).filter(service -> !service.isAlive()).forEach(ServiceJar::start);
        Stream.concat(apis.stream(), workers.stream()).forEach(service -> service.awaitReady(READY));
        return this;
    }

    /** Stops one AWS server: its port refuses connections, as an unreachable AWS endpoint would. */
    void stop(dev.imagery.local.AwsService service) {
        embedded().stop(service);
    }

    /** Starts a stopped AWS server again; returns once Imagery's resource on it answers. */
    void start(dev.imagery.local.AwsService service) {
        embedded().start(service);
    }

    /** Freezes one AWS server (SIGSTOP): connections are accepted but never answered, as with a hung server. */
    void freeze(dev.imagery.local.AwsService service) {
        embedded().freeze(service);
    }

    void thaw(dev.imagery.local.AwsService service) {
        embedded().thaw(service);
    }

    AwsStack aws() {
        return aws;
    }

    /** The embedded servers, which a test can stop one by one (see {@link #assumeOneServiceCanStop}). */
    private EmbeddedAws embedded() {
        if (aws instanceof EmbeddedAws embedded) {
            return embedded;
        }
        throw new IllegalStateException("Only the embedded servers stop one by one; this fleet runs on LocalStack");
    }

    List<ServiceJar> apis() {
        return apis;
    }

    List<ServiceJar> workers() {
        return workers;
    }

    /**
     * One more worker outside the fleet ({@link #heal()} does not know it), as the fleet's workers plus
     * {@code arguments}: e.g. settings that make it slow. The caller starts and terminates it.
     */
    ServiceJar extraWorker(String name, List<String> arguments) {
        List<String> settings = new ArrayList<>(WORKER_SETTINGS);
        settings.addAll(arguments); // later arguments win, as with Spring's command line
        return service(name, workerJar, LocalPorts.allocate(1).get(0), settings);
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
        if (aws instanceof EmbeddedAws embedded) {
            embedded.close();
        } // LocalStack is the test JVM's container: TestAws stops it when the JVM exits.
    }
}
