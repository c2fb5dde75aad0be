package dev.imagery.infra;

import static dev.imagery.infra.Template.at;
import static dev.imagery.infra.Template.list;
import static dev.imagery.infra.Template.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.localstack.yml as a developer with Docker gets it: the pinned, overridable
 * image, the auth token passed through, a health check that waits for the resources, and the init
 * script mounted where LocalStack runs it once ready. There is no Docker engine here: the script
 * itself runs against moto in {@link LocalStackInitScriptTest}.
 */
class LocalStackComposeTest {

    static final String INIT_SCRIPT = "infra/localstack/init-aws.sh";

    @Test
    void pinsAnOverridableImageAndWaitsForTheInitScript() throws IOException {
        Map<String, Object> compose;
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(Repository.file("docker-compose.localstack.yml"))) {
            compose = map(new Yaml(new SafeConstructor(options)).load(reader));
        }
        Map<String, Object> localstack = map(at(compose, "services", "localstack"));
        assertThat(localstack).as("a service named localstack").isNotNull();

        String pinned = System.getProperty("imagery.localstack.image", "localstack/localstack:4.14.0");
        assertThat(localstack).containsEntry("image", "${LOCALSTACK_IMAGE:-" + pinned + "}");
        assertThat(pinned).isEqualTo("localstack/localstack:4.14.0");
        assertThat(map(localstack.get("environment")))
                .containsEntry("LOCALSTACK_AUTH_TOKEN", "${LOCALSTACK_AUTH_TOKEN:-}")
                .containsEntry("SERVICES", "s3,sqs,dynamodb");
        assertThat(list(localstack.get("ports"))).containsExactly("127.0.0.1:4566:4566");

        assertThat(list(localstack.get("volumes")))
                .contains("./" + INIT_SCRIPT + ":/etc/localstack/init/ready.d/init-aws.sh:ro");
        Path script = Repository.file(INIT_SCRIPT);
        assertThat(script).isRegularFile().isExecutable();
        assertThat(Files.readString(script)).startsWith("#!/bin/bash\n").contains("awslocal");

        List<Object> healthcheck = list(at(localstack, "healthcheck", "test"));
        assertThat(healthcheck.get(0)).isEqualTo("CMD-SHELL");
        assertThat((String) healthcheck.get(1)).contains("http://localhost:4566/_localstack/init/ready")
                .contains("\"completed\"").contains("ERROR");
        assertThat(map(localstack.get("healthcheck"))).containsKeys("interval", "retries", "start_period");
    }
}
