package dev.imagery.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The real aws CLI pointed at a local endpoint, with throw-away credentials and none of the
 * caller's AWS settings (profiles, tokens, endpoints) leaking in.
 */
final class AwsCli {

    static final String REGION = "us-east-1";

    private final String endpoint;
    private final Map<String, String> environment = new HashMap<>();

    AwsCli(String endpoint) {
        this.endpoint = endpoint;
        System.getenv().keySet().stream().filter(name -> name.startsWith("AWS_")).forEach(name -> environment.put(name, null));
        Path nowhere = Path.of(System.getProperty("java.io.tmpdir"), "imagery-infra-no-aws-config");
        environment.putAll(Map.of(
                "AWS_ACCESS_KEY_ID", "testing",
                "AWS_SECRET_ACCESS_KEY", "testing",
                "AWS_DEFAULT_REGION", REGION,
                "AWS_REGION", REGION,
                "AWS_CONFIG_FILE", nowhere.toString(),
                "AWS_SHARED_CREDENTIALS_FILE", nowhere.toString(),
                "AWS_EC2_METADATA_DISABLED", "true",
                // For scripts (init-aws.sh, empty-bucket.sh): they pass it on as --endpoint-url.
                "AWS_ENDPOINT_URL", endpoint));
    }

    static void requireInstalled() {
        Cli.requireTool("awscli", "aws", "--version");
    }

    /** Runs aws with --endpoint-url and JSON output; the caller decides what a failure means. */
    Cli.Result run(String... arguments) {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", endpoint, "--output", "json"));
        command.addAll(List.of(arguments));
        return Cli.run(command, environment, Duration.ofMinutes(2));
    }

    /** Runs aws and parses its JSON answer; fails the test on a non-zero exit. */
    Object json(String... arguments) {
        Cli.Result result = run(arguments);
        assertThat(result.exitCode()).as(result.describe()).isZero();
        return result.stdout().isBlank() ? null : parse(result.stdout());
    }

    /** A bash script from the repository, with this CLI's environment. */
    Cli.Result script(String relativePath, String... arguments) {
        List<String> command = new ArrayList<>(List.of("bash", Repository.file(relativePath).toString()));
        command.addAll(List.of(arguments));
        return Cli.run(command, environment, Duration.ofMinutes(3));
    }

    static Object parse(String json) {
        // JSON is YAML: SnakeYAML reads the CLI's output without another library.
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(json);
    }
}
