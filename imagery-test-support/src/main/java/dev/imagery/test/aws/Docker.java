package dev.imagery.test.aws;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

import org.testcontainers.DockerClientFactory;

/**
 * Is there a Docker engine for Testcontainers? Asked once per JVM. Where nothing even hints at Docker (no
 * DOCKER_HOST, no socket, no Testcontainers configuration) we answer without Testcontainers, which would
 * spend a second and log a page of errors to reach the same conclusion.
 */
final class Docker {

    private static Optional<String> reason;

    private Docker() {
    }

    static synchronized Optional<String> unavailableReason() {
        if (reason == null) {
            reason = probe();
        }
        return reason;
    }

    private static Optional<String> probe() {
        if ("false".equalsIgnoreCase(System.getProperty("imagery.localstack"))) {
            return Optional.of("turned off with -Dimagery.localstack=false");
        }
        List<String> hints = hints();
        if (hints.isEmpty()) {
            return Optional.of("no Docker engine (no DOCKER_HOST, no Docker or Podman socket, no"
                    + " ~/.testcontainers.properties)");
        }
        try {
            if (DockerClientFactory.instance().isDockerAvailable()) {
                return Optional.empty();
            }
            return Optional.of("no working Docker engine (Testcontainers could not use " + String.join(", ", hints) + ")");
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("Docker check failed: " + e);
        }
    }

    private static List<String> hints() {
        List<String> hints = new ArrayList<>();
        if (System.getenv("DOCKER_HOST") != null) {
            hints.add("DOCKER_HOST=" + System.getenv("DOCKER_HOST"));
        }
        Path home = Path.of(System.getProperty("user.home"));
        List<Path> sockets = new ArrayList<>(List.of(Path.of("/var/run/docker.sock"),
                home.resolve(".docker/run/docker.sock"), home.resolve(".docker/desktop/docker.sock"),
                home.resolve(".colima/default/docker.sock"), home.resolve(".rd/docker.sock")));
        Optional.ofNullable(System.getenv("XDG_RUNTIME_DIR")).map(Path::of).ifPresent(runtime -> {
            sockets.add(runtime.resolve("docker.sock"));
            sockets.add(runtime.resolve("podman/podman.sock"));
        });
        sockets.stream().filter(Files::exists).forEach(socket -> hints.add(socket.toString()));
        Path properties = home.resolve(".testcontainers.properties");
        if (Files.isRegularFile(properties)) {
            Properties config = new Properties();
            try (InputStream in = Files.newInputStream(properties)) {
                config.load(in);
            } catch (IOException e) {
                // Unreadable: as good as absent.
            }
            if (config.containsKey("docker.host") || config.containsKey("tc.host")
                    || config.containsKey("docker.client.strategy")) {
                hints.add(properties.toString());
            }
        }
        if (System.getenv("TESTCONTAINERS_HOST_OVERRIDE") != null || System.getenv("TC_CLOUD_TOKEN") != null) {
            hints.add("Testcontainers environment variables");
        }
        return hints;
    }
}
