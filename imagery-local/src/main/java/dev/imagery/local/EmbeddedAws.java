package dev.imagery.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.imagery.local.child.ChildClasses;
import dev.imagery.local.emulator.DataDirectory;
import dev.imagery.local.emulator.Emulator;
import dev.imagery.local.emulator.EmulatorHome;
import dev.imagery.local.emulator.EmulatorProcess;
import dev.imagery.local.emulator.LocalPorts;

/**
 * AWS on this machine: DynamoDB Local, ElasticMQ (SQS) and S3Proxy (S3), each in a child JVM on a free port
 * of 127.0.0.1, with Imagery's table, bucket and queues created.
 *
 * <pre>{@code
 * try (EmbeddedAws aws = EmbeddedAws.start()) {
 *     Map<String, String> env = aws.environment();   // AWS_REGION ... IMAGERY_DEAD_LETTER_QUEUE
 *     aws.stop(AwsService.S3);                         // an S3 outage ...
 *     aws.start(AwsService.S3);                        // ... over: same port, same objects
 *     aws.freeze(AwsService.SQS);                      // a hung server (SIGSTOP) ...
 *     aws.thaw(AwsService.SQS);                        // ... carries on (SIGCONT)
 * }
 * }</pre>
 *
 * <p>By default the servers persist to a temp folder, so a stopped and restarted server still has its table,
 * objects, queues and messages. With {@link Options#persistent(boolean) persistent(false)} they run in
 * memory: a restart loses the data and the resources are created again (empty).
 *
 * <p>The children die with this JVM: {@link #close()} runs from a shutdown hook, and each child exits when
 * its stdin closes, which the OS does even when this JVM is killed with SIGKILL. Starting a stack costs
 * about 3 s here (servers in parallel, class-data sharing after the first run) and ~300 MB RSS.
 */
public final class EmbeddedAws implements AwsStack, AutoCloseable {

    public static final String REGION = "us-east-1";
    /** Letters and digits only: DynamoDB Local 2.x rejects other access key ids. */
    public static final String ACCESS_KEY_ID = "imagery";
    public static final String SECRET_ACCESS_KEY = "imagery-local-secret";

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** How long a crashed server stays down before its restart: an outage long enough to be seen. */
    public static final Duration RESTART_PAUSE = Duration.ofSeconds(2);
    /** A server that dies again this soon after its restart is left down (a crash loop helps nobody). */
    private static final Duration CRASH_LOOP = Duration.ofSeconds(10);

    private final Options options;
    private final Path dataDir;
    private final Map<AwsService, EmulatorProcess> servers;
    private final AwsEndpoints endpoints;
    private final Thread shutdownHook = new Thread(this::close, "embedded-aws-shutdown");
    private final Map<AwsService, Long> restartedAt = new EnumMap<>(AwsService.class);
    private Map<String, String> environment;
    private boolean closed;

    /**
     * Configuration of {@link #start(Options)}. {@code closeOnExit}: register a JVM shutdown hook that closes
     * the stack; turn it off only to close it yourself in a hook of your own (the launcher stops the services
     * first, which still talk to AWS while they shut down gracefully).
     */
    public record Options(ResourceSpec resources, boolean persistent, Duration startTimeout, boolean closeOnExit,
                          boolean restartCrashed) {

        public static Options defaults() {
            return new Options(ResourceSpec.defaults(), true, Duration.ofSeconds(90), true, false);
        }

        public Options resources(ResourceSpec resources) {
            return new Options(resources, persistent, startTimeout, closeOnExit, restartCrashed);
        }

        public Options persistent(boolean persistent) {
            return new Options(resources, persistent, startTimeout, closeOnExit, restartCrashed);
        }

        public Options startTimeout(Duration startTimeout) {
            return new Options(resources, persistent, startTimeout, closeOnExit, restartCrashed);
        }

        public Options closeOnExit(boolean closeOnExit) {
            return new Options(resources, persistent, startTimeout, closeOnExit, restartCrashed);
        }

        /**
         * Restart a server whose process dies without {@link #stop} or {@link #close} having asked it to (killed
         * with SIGKILL, crashed): same port, same data, after {@link #RESTART_PAUSE}. Off by default, so a crash
         * in a test is seen rather than papered over; the launcher turns it on.
         */
        public Options restartCrashed(boolean restartCrashed) {
            return new Options(resources, persistent, startTimeout, closeOnExit, restartCrashed);
        }
    }

    private EmbeddedAws(Options options, Path home, Path dataDir) throws IOException {
        this.options = options;
        this.dataDir = dataDir;
        Path childJar = childJar(home, dataDir);
        List<Integer> ports = LocalPorts.allocate(AwsService.values().length);
        this.servers = new EnumMap<>(AwsService.class);
        Map<AwsService, URI> uris = new EnumMap<>(AwsService.class);
        int i = 0;
        for (Emulator emulator : Emulator.all()) {
            int port = ports.get(i++);
            Emulator.Settings settings = new Emulator.Settings(home.resolve(emulator.name()).resolve("lib"),
                    dataDir.resolve(emulator.name()), port, REGION, ACCESS_KEY_ID, SECRET_ACCESS_KEY,
                    options.persistent());
            EmulatorProcess server = new EmulatorProcess(emulator, settings, childJar,
                    dataDir.resolve(emulator.name() + ".log"));
            if (options.restartCrashed()) {
                server.onCrash(dead -> restartLater(emulator.service(), dead));
            }
            servers.put(emulator.service(), server);
            uris.put(emulator.service(), URI.create("http://127.0.0.1:" + port));
        }
        this.endpoints = new AwsEndpoints(REGION, ACCESS_KEY_ID, SECRET_ACCESS_KEY, uris.get(AwsService.DYNAMODB),
                uris.get(AwsService.SQS), uris.get(AwsService.S3));
    }

    /** Beside the emulators when that folder is writable (stable path, see ClassDataSharing), else in our data dir. */
    private static Path childJar(Path home, Path dataDir) throws IOException {
        try {
            return ChildClasses.jarIn(home);
        } catch (IOException | RuntimeException readOnly) {
            return ChildClasses.writeJar(dataDir.resolve("imagery-child.jar"));
        }
    }

    /** Starts all three servers with Imagery's default resources; see {@link #start(Options)}. */
    public static EmbeddedAws start() {
        return start(Options.defaults());
    }

    /** Starts the servers in parallel, waits for their ports and creates the resources. */
    public static EmbeddedAws start(Options options) {
        Path home = EmulatorHome.locate();
        Path dataDir = DataDirectory.create();
        EmbeddedAws aws;
        try {
            aws = new EmbeddedAws(options, home, dataDir);
        } catch (IOException | RuntimeException e) {
            DataDirectory.delete(dataDir);
            throw new IllegalStateException("Could not prepare the embedded AWS stack", e);
        }
        if (options.closeOnExit()) {
            Runtime.getRuntime().addShutdownHook(aws.shutdownHook);
        }
        try {
            aws.servers.values().forEach(EmulatorProcess::start);
            aws.environment = ImageryEnvironment.of(aws.endpoints, options.resources(), aws.awaitAndCreateResources());
            return aws;
        } catch (RuntimeException e) {
            aws.close();
            throw e;
        }
    }

    /**
     * Each server is waited for and given its resources on a thread of its own, so the slowest start-up sets
     * the pace. (Not the common pool: on two cores it has one thread.)
     */
    private QueueUrls awaitAndCreateResources() {
        ExecutorService threads = Executors.newFixedThreadPool(servers.size(), task -> {
            Thread thread = new Thread(task, "embedded-aws-start");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Map<AwsService, CompletableFuture<QueueUrls>> ready = new EnumMap<>(AwsService.class);
            for (AwsService service : servers.keySet()) {
                ready.put(service, CompletableFuture.supplyAsync(() -> {
                    servers.get(service).awaitReady(options.startTimeout());
                    return AwsResources.ensure(endpoints, options.resources(), service);
                }, threads));
            }
            CompletableFuture.allOf(ready.values().toArray(CompletableFuture[]::new)).join();
            return ready.get(AwsService.SQS).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            threads.shutdown();
        }
    }

    @Override
    public Map<String, String> environment() {
        return environment;
    }

    @Override
    public AwsEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public ResourceSpec resources() {
        return options.resources();
    }

    public boolean persistent() {
        return options.persistent();
    }

    public int port(AwsService service) {
        return servers.get(service).port();
    }

    /** The child JVM's process id (-1 while stopped), e.g. to measure it. */
    public long pid(AwsService service) {
        return servers.get(service).pid();
    }

    public boolean isRunning(AwsService service) {
        return servers.get(service).isRunning();
    }

    /** The server's console output (kept while the stack runs). */
    public Path logFile(AwsService service) {
        return servers.get(service).logFile();
    }

    /** Where the servers keep their data, configuration and logs; deleted by {@link #close()}. */
    public Path dataDirectory() {
        return dataDir;
    }

    /**
     * Stops one server: its port refuses connections until {@link #start(AwsService)}. Returns once the
     * process has exited and the port is closed.
     */
    public void stop(AwsService service) {
        servers.get(service).stop(STOP_GRACE);
    }

    /**
     * Starts a stopped server again on the same port (so every URL stays valid) and returns once Imagery's
     * resource on it answers (see {@link AwsResources#awaitAvailable}). In-memory mode lost the data, so the
     * service's resources are created again.
     */
    public void start(AwsService service) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("The embedded AWS stack is closed");
            }
        }
        EmulatorProcess server = servers.get(service);
        server.start();
        awaitAvailable(service);
    }

    private void awaitAvailable(AwsService service) {
        servers.get(service).awaitReady(options.startTimeout());
        if (options.persistent()) {
            AwsResources.awaitAvailable(endpoints, options.resources(), service, options.startTimeout());
        } else {
            AwsResources.ensure(endpoints, options.resources(), service);
        }
    }

    /**
     * Freezes one server with SIGSTOP (Linux, macOS): connections are still accepted by the kernel but never
     * answered, as with a hung server or a black-holed network. {@link #thaw}, {@link #stop} and {@link #close}
     * wake it.
     */
    public void freeze(AwsService service) {
        servers.get(service).freeze();
    }

    /** SIGCONT: a frozen server carries on, with its data and the connections it had accepted. */
    public void thaw(AwsService service) {
        servers.get(service).thaw();
    }

    public boolean isFrozen(AwsService service) {
        return servers.get(service).isFrozen();
    }

    /** Runs on the JDK's process-exit thread: the restart waits and blocks, so it gets a thread of its own. */
    private void restartLater(AwsService service, Process dead) {
        Thread restart = new Thread(() -> restartCrashed(service, dead), "embedded-aws-restart-" + service);
        restart.setDaemon(true);
        restart.start();
    }

    private void restartCrashed(AwsService service, Process dead) {
        EmulatorProcess server = servers.get(service);
        String what = service + " (" + server.emulator().name() + ", pid " + dead.pid() + ")";
        long now = System.nanoTime();
        synchronized (this) {
            Long previous = restartedAt.get(service);
            if (closed) {
                return;
            }
            if (previous != null && now - previous < CRASH_LOOP.toNanos()) {
                report(what + " died again within " + CRASH_LOOP.toSeconds() + " s of its restart; leaving it down");
                return;
            }
        }
        try {
            Thread.sleep(RESTART_PAUSE.toMillis());
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (!server.isRunning() && server.portInUse()) {
                    report(what + " died (exit code " + dead.exitValue() + ") and port " + server.port()
                            + " is now taken by another process; not restarting it");
                    return;
                }
                if (!server.restartAfterCrash(dead)) {
                    return; // started or stopped on purpose meanwhile
                }
                restartedAt.put(service, System.nanoTime());
            }
            awaitAvailable(service);
            report(what + " died (exit code " + dead.exitValue() + "); restarted it on port " + server.port()
                    + (options.persistent() ? " with its data" : " (in memory: empty)") + " in "
                    + (System.nanoTime() - now) / 1_000_000 + " ms, pid " + server.pid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            synchronized (this) {
                if (closed) {
                    return;
                }
            }
            report(what + " died and could not be restarted; leaving it down: " + String.valueOf(e.getMessage())
                    .lines().findFirst().orElse(""));
            server.stop(STOP_GRACE);
        }
    }

    /** One line on the console: the stack runs in a launcher or a test, neither of which configures logging. */
    private static void report(String line) {
        System.out.println("imagery-local: " + line);
    }

    public void restart(AwsService service) {
        stop(service);
        start(service);
    }

    /** Stops the three servers (together) and deletes the data directory. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        servers.values().forEach(EmulatorProcess::signalStop);
        servers.values().forEach(server -> server.stop(STOP_GRACE));
        DataDirectory.delete(dataDir);
        if (options.closeOnExit() && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // Called during JVM shutdown: the hook is running or about to, and will find us closed.
            }
        }
    }
}
