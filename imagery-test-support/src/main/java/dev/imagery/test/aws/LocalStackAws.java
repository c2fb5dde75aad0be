package dev.imagery.test.aws;

import java.util.Map;

import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;

import dev.imagery.local.AwsEndpoints;
import dev.imagery.local.AwsResources;
import dev.imagery.local.AwsStack;
import dev.imagery.local.ImageryEnvironment;
import dev.imagery.local.QueueUrls;
import dev.imagery.local.ResourceSpec;

/**
 * LocalStack through Testcontainers, with the resources created by the same code as for the embedded stack.
 * Image: {@code -Dimagery.localstack.image} (the parent pom passes {@code localstack/localstack:4.14.0}, the
 * last tag that runs without an auth token); {@code LOCALSTACK_AUTH_TOKEN} is passed through when set.
 */
final class LocalStackAws implements AwsStack {

    static final String SKIPPED = "LocalStack tests skipped: ";
    static final String DEFAULT_IMAGE = "localstack/localstack:4.14.0";

    private final LocalStackContainer container;
    private final AwsEndpoints endpoints;
    private final ResourceSpec resources = ResourceSpec.defaults();
    private final Map<String, String> environment;

    private LocalStackAws(LocalStackContainer container) {
        this.container = container;
        this.endpoints = AwsEndpoints.single(container.getEndpoint(), container.getRegion(), container.getAccessKey(),
                container.getSecretKey());
        QueueUrls queues = AwsResources.ensure(endpoints, resources);
        this.environment = ImageryEnvironment.of(endpoints, resources, queues);
    }

    @SuppressWarnings("resource") // stopped by the shutdown hook below (and by Testcontainers' reaper)
    static LocalStackAws start() {
        String image = System.getProperty("imagery.localstack.image", DEFAULT_IMAGE);
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(image)
                .asCompatibleSubstituteFor("localstack/localstack"))
                .withServices("dynamodb", "sqs", "s3");
        String token = System.getenv("LOCALSTACK_AUTH_TOKEN");
        if (token != null && !token.isBlank()) {
            container.withEnv("LOCALSTACK_AUTH_TOKEN", token);
        }
        container.start();
        Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "localstack-stop"));
        return new LocalStackAws(container);
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
        return resources;
    }

    LocalStackContainer container() {
        return container;
    }
}
