package dev.imagery.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the files under test, wherever Maven or an IDE starts the tests. */
final class Repository {

    private Repository() {
    }

    static Path root() {
        Path directory = Path.of("").toAbsolutePath();
        for (Path candidate = directory; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("docker-compose.localstack.yml"))
                    && Files.isDirectory(candidate.resolve("infra"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("No repository root (with docker-compose.localstack.yml) above " + directory);
    }

    static Path file(String relative) {
        return root().resolve(relative);
    }

    static Path template() {
        return file("infra/cloudformation/imagery.yaml");
    }
}
