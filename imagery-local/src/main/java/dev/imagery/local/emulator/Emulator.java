package dev.imagery.local.emulator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import dev.imagery.local.AwsService;

/** How to run one AWS emulator in a child JVM: its classpath folder, configuration files and command line. */
public interface Emulator {

    AwsService service();

    /** The folder under {@code target/emulators} holding {@code lib/} (see src/emulators/). */
    String name();

    /** Writes the emulator's configuration into {@code dataDir} and returns how to start it. */
    Launch prepare(Settings settings) throws IOException;

    /** The emulator's classpath entries; by default every jar in lib/ (a wildcard the java launcher expands). */
    default List<Path> classpath(Path lib) throws IOException {
        return List.of(lib.resolve("*"));
    }

    /**
     * Where and how the server runs. {@code dataDir} is the emulator's own folder; it survives a stop/start of
     * the server, which is what makes persistent mode keep data across an outage.
     */
    record Settings(Path lib, Path dataDir, int port, String region, String accessKeyId, String secretAccessKey,
                    boolean persistent) {
    }

    /** JVM options beyond the common ones, the server's main class and its arguments. */
    record Launch(List<String> jvmOptions, String mainClass, List<String> arguments) {
    }

    static List<Emulator> all() {
        return List.of(new DynamoDbLocal(), new ElasticMq(), new S3Proxy());
    }

    static Emulator of(AwsService service) {
        return all().stream().filter(emulator -> emulator.service() == service).findFirst().orElseThrow();
    }
}
