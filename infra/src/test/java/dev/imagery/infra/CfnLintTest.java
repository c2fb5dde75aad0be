package dev.imagery.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** cfn-lint, informational checks included, has nothing to say about any template. */
class CfnLintTest {

    @Test
    void findsNothingInTheTemplates() throws IOException {
        Cli.requireTool("cfn-lint", "cfn-lint", "--version");
        List<String> templates;
        try (Stream<Path> files = Files.list(Repository.file("infra/cloudformation"))) {
            templates = files.map(Path::toString).filter(name -> name.matches(".*\\.(ya?ml|json)$")).sorted().toList();
        }
        assertThat(templates).isNotEmpty();

        List<String> command = new ArrayList<>(List.of("cfn-lint", "--include-checks", "I", "--format", "parseable", "--"));
        command.addAll(templates);
        Cli.Result lint = Cli.run(command, Map.of(), Duration.ofMinutes(2));

        assertThat(lint.stdout() + lint.stderr()).as(lint.describe()).isBlank();
        assertThat(lint.exitCode()).as(lint.describe()).isZero();
    }
}
