package dev.imagery.local.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.imagery.local.EmbeddedAws;
import dev.imagery.local.ImageryEnvironment;
import dev.imagery.local.ResourceSpec;

/** The launcher's command line. */
final class LauncherOptions {

    static final String USAGE = """
            Usage: java -jar imagery-local/target/imagery-local.jar [options]

            Starts AWS on this machine (DynamoDB Local, ElasticMQ, S3Proxy on 127.0.0.1), writes ./%1$s,
            then the Imagery API and worker(s) with that configuration. Ctrl-C stops everything.

              --only=aws                start only the AWS servers (run the services yourself)
              --port=8080               API port
              --worker-port=8081        first worker's (actuator) port; worker n gets worker-port + n - 1
              --workers=1               number of worker processes
              --worker-heap=208m        each worker's maximum heap (-Xmx): it refuses images of more than
                                        heap ÷ 7 pixels (30 MP at 208m; 352m reaches the 50 MP limit)
              --api-jar=PATH            default: <repo>/imagery-api/target/imagery-api.jar
              --worker-jar=PATH         default: <repo>/imagery-worker/target/imagery-worker.jar
              --env-file=PATH           default: ./%1$s
              --in-memory               servers keep nothing on disk (a restart loses the data)
              --visibility-timeout=60   of the work queue, seconds
              --max-receive-count=10    receives before a message goes to the dead-letter queue
              --ready-timeout=180       seconds to wait for each service's readiness
            """.formatted(ImageryEnvironment.ENV_FILE_NAME);

    boolean onlyAws;
    int apiPort = 8080;
    int workerPort = 8081;
    int workers = 1;
    String workerHeap = "208m";
    Path apiJar = repository().resolve("imagery-api/target/imagery-api.jar");
    Path workerJar = repository().resolve("imagery-worker/target/imagery-worker.jar");
    Path envFile = Path.of(ImageryEnvironment.ENV_FILE_NAME);
    boolean persistent = true;
    int visibilityTimeout = 60;
    int maxReceiveCount = 10;
    Duration readyTimeout = Duration.ofSeconds(180);

    private LauncherOptions() {
    }

    /** Parses the arguments; throws IllegalArgumentException with a message meant for the user. */
    static LauncherOptions parse(String... args) {
        LauncherOptions options = new LauncherOptions();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            String value = equals < 0 ? "" : arg.substring(equals + 1);
            switch (name) {
                case "--only" -> {
                    if (!value.equals("aws")) {
                        throw new IllegalArgumentException("--only takes 'aws'");
                    }
                    options.onlyAws = true;
                }
                case "--port" -> options.apiPort = number(name, value);
                case "--worker-port" -> options.workerPort = number(name, value);
                case "--workers" -> options.workers = number(name, value);
                case "--worker-heap" -> options.workerHeap = heap(name, value);
                case "--api-jar" -> options.apiJar = Path.of(value);
                case "--worker-jar" -> options.workerJar = Path.of(value);
                case "--env-file" -> options.envFile = Path.of(value);
                case "--in-memory" -> options.persistent = false;
                case "--visibility-timeout" -> options.visibilityTimeout = number(name, value);
                case "--max-receive-count" -> options.maxReceiveCount = number(name, value);
                case "--ready-timeout" -> options.readyTimeout = Duration.ofSeconds(number(name, value));
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (!options.onlyAws) {
            for (Path jar : new Path[] {options.apiJar, options.workerJar}) {
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalArgumentException(jar + " does not exist. Build it first (./mvnw -DskipTests"
                            + " package) or start only AWS with --only=aws.");
                }
            }
        }
        return options;
    }

    EmbeddedAws.Options awsOptions() {
        ResourceSpec resources = ResourceSpec.defaults().withVisibilityTimeoutSeconds(visibilityTimeout)
                .withMaxReceiveCount(maxReceiveCount);
        // A server killed from outside (kill -9) comes back on its own, as an AWS endpoint would.
        return EmbeddedAws.Options.defaults().resources(resources).persistent(persistent).closeOnExit(false)
                .restartCrashed(true);
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " takes a number, not '" + value + "'");
        }
    }

    /** A size as -Xmx takes it, in megabytes or gigabytes; below 128 MB the worker has no room for its own code. */
    private static String heap(String name, String value) {
        Matcher size = Pattern.compile("([1-9][0-9]{0,5})([mMgG])").matcher(value);
        if (!size.matches()) {
            throw new IllegalArgumentException(name + " takes a size such as 512m or 1g, not '" + value + "'");
        }
        long megabytes = Long.parseLong(size.group(1)) * (size.group(2).equalsIgnoreCase("g") ? 1024 : 1);
        if (megabytes < 128) {
            throw new IllegalArgumentException(name + " must be at least 128m, not '" + value + "'");
        }
        return value;
    }

    /** imagery-local/target/imagery-local.jar (or .../target/classes) → the repository; else the working dir. */
    private static Path repository() {
        try {
            Path self = Path.of(LauncherOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path module = self.getParent() == null ? null : self.getParent().getParent();
            if (module != null && module.getParent() != null && Files.isRegularFile(module.resolve("pom.xml"))) {
                return module.getParent();
            }
        } catch (URISyntaxException | RuntimeException e) {
            // Fall through to the working directory.
        }
        return Path.of("").toAbsolutePath();
    }
}
