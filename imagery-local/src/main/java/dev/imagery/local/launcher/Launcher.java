package dev.imagery.local.launcher;

import static dev.imagery.local.launcher.ServiceProcess.print;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.management.HotSpotDiagnosticMXBean;

import dev.imagery.local.EmbeddedAws;
import dev.imagery.local.ImageryEnvironment;
import dev.imagery.local.child.ChildClasses;

/**
 * {@code java -jar imagery-local/target/imagery-local.jar [--only=aws]}: AWS on this machine, then the API and
 * the worker(s) as child processes configured for it. Ctrl-C (or SIGTERM) stops the services, then AWS.
 */
public final class Launcher {

    /**
     * Up to six JVMs share one machine here, so each service gets a small heap and the serial collector (no
     * G1 bookkeeping). The API spools uploads to disk and needs little; the worker's pixel budget follows its
     * heap, so 208 MB (unless --worker-heap says otherwise) still takes a 17.9 MP photo (alone) or two 8 MP
     * photos at once: peak RSS stays under 512 MB. The generations keep their default sizes: the pixels, the
     * largest objects, are recycled from image to image and live in the old generation for good, which a larger
     * young generation would crowd (docs/PERFORMANCE.md, 3). On EC2 the systemd units give each service most of
     * its instance instead.
     */
    static final List<String> API_JVM_OPTIONS = jvmOptions("-Xmx160m");

    /** The worker's options with {@code --worker-heap} (208m unless given). */
    static List<String> workerJvmOptions(LauncherOptions options) {
        return jvmOptions("-Xmx" + options.workerHeap);
    }

    private Launcher() {
    }

    /**
     * The heap, the serial collector and, where the JVM has the option (17.0.9+, 21.0.1+), a trim of the C heap
     * each second: glibc keeps what libjpeg, zlib and the JIT free, and the worker's peak comes when a large
     * progressive JPEG's coefficients are malloc'ed on top of it (11-18 MB less, docs/PERFORMANCE.md, 2).
     */
    private static List<String> jvmOptions(String maxHeap) {
        List<String> options = new ArrayList<>(List.of(maxHeap, "-XX:+UseSerialGC"));
        if (hasVmOption("TrimNativeHeapInterval")) {
            options.add("-XX:TrimNativeHeapInterval=1000");
        }
        return List.copyOf(options);
    }

    /** The services run on this JVM's java, so what this JVM knows, they know. */
    private static boolean hasVmOption(String name) {
        try {
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption(name);
            return true;
        } catch (IllegalArgumentException unknown) {
            return false;
        }
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        LauncherOptions options = parseOrExit(args);
        print("Starting AWS on this machine (DynamoDB Local, ElasticMQ, S3Proxy)...");
        EmbeddedAws aws = EmbeddedAws.start(options.awsOptions());
        Path envFile = ImageryEnvironment.writeEnvFile(options.envFile, aws.environment());
        List<ServiceProcess> services = new CopyOnWriteArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Shutdown.run(services, aws, envFile), "imagery-stop"));
        Messages.awsRunning(aws, envFile);
        if (options.onlyAws) {
            Messages.howToStartServices(options, envFile);
            Thread.currentThread().join(); // until Ctrl-C / SIGTERM
        }

        // Loopback only, like the AWS servers; the agent ends each service when we end, even on kill -9.
        Map<String, String> env = new LinkedHashMap<>(aws.environment());
        env.put("SERVER_ADDRESS", "127.0.0.1");
        // glibc gives each decoding thread an arena of its own, and libjpeg's large buffers stay in them.
        env.put("MALLOC_ARENA_MAX", "2");
        Path agent = ChildClasses.jarIn(aws.dataDirectory());
        services.add(ServiceProcess.start("api", options.apiJar, API_JVM_OPTIONS, options.apiPort, env, agent));
        for (int n = 1; n <= options.workers; n++) {
            String name = options.workers == 1 ? "worker" : "worker-" + n;
            services.add(ServiceProcess.start(name, options.workerJar, workerJvmOptions(options),
                    options.workerPort + n - 1, env, agent));
        }
        try {
            for (ServiceProcess service : services) {
                service.awaitReady(options.readyTimeout);
            }
        } catch (IllegalStateException notReady) {
            print("imagery-local: " + notReady.getMessage() + "; stopping.");
            System.exit(1);
        }
        print("Imagery is running on http://localhost:" + options.apiPort + "   (Ctrl-C stops it)");

        ServiceProcess ended = firstToExit(services);
        if (!Shutdown.started()) { // else we stopped it ourselves
            print("imagery-local: " + ended.name() + " exited with code " + ended.process().exitValue() + "; stopping.");
            System.exit(1);
        }
    }

    private static LauncherOptions parseOrExit(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(LauncherOptions.USAGE);
            System.exit(0);
        }
        try {
            LauncherOptions options = LauncherOptions.parse(args);
            if (!options.onlyAws) {
                Messages.requireFreePorts(options);
            }
            return options;
        } catch (IllegalArgumentException e) {
            System.err.println("imagery-local: " + e.getMessage() + "\n\n" + LauncherOptions.USAGE);
            System.exit(2);
            throw e;
        }
    }

    private static ServiceProcess firstToExit(List<ServiceProcess> services) {
        CompletableFuture<?>[] exits = services.stream().map(service -> service.process().onExit())
                .toArray(CompletableFuture[]::new);
        CompletableFuture.anyOf(exits).join();
        return services.stream().filter(service -> !service.process().isAlive()).findFirst().orElseThrow();
    }

    /** The shutdown hook: services first (they still use AWS while draining), then AWS and the env file. */
    private static final class Shutdown {

        private static volatile boolean started;

        static boolean started() {
            return started;
        }

        static void run(List<ServiceProcess> services, EmbeddedAws aws, Path envFile) {
            started = true;
            print("imagery-local: stopping...");
            services.parallelStream().forEach(service -> service.stop(Duration.ofSeconds(40)));
            aws.close();
            Messages.removeEnvFile(envFile, aws.environment());
            print("imagery-local: stopped.");
        }
    }
}
