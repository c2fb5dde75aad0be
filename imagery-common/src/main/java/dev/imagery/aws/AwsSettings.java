package dev.imagery.aws;

import java.net.URI;
import java.util.Optional;

import org.springframework.core.env.Environment;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * The SDK's standard settings ({@code AWS_REGION}, {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY},
 * {@code AWS_ENDPOINT_URL} and {@code AWS_ENDPOINT_URL_<SERVICE>}), read through Spring's
 * {@link Environment} so that an env file or a test can supply them like real environment variables.
 * Whatever is not set is left to the SDK's default chains (instance profile, IMDSv2 region).
 */
public record AwsSettings(Optional<Region> region, AwsCredentialsProvider credentials, Environment environment) {

    public static AwsSettings from(Environment environment) {
        Optional<Region> region = Optional.ofNullable(environment.getProperty("AWS_REGION")).map(Region::of);
        String accessKey = environment.getProperty("AWS_ACCESS_KEY_ID");
        String secretKey = environment.getProperty("AWS_SECRET_ACCESS_KEY");
        AwsCredentialsProvider credentials = accessKey != null && secretKey != null
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey))
                : DefaultCredentialsProvider.builder().build();
        return new AwsSettings(region, credentials, environment);
    }

    /** The endpoint override for a service ({@code "S3"}, {@code "SQS"}, {@code "DYNAMODB"}), if any. */
    public Optional<URI> endpoint(String service) {
        String url = environment.getProperty("AWS_ENDPOINT_URL_" + service, environment.getProperty("AWS_ENDPOINT_URL"));
        return Optional.ofNullable(url).filter(u -> !u.isBlank()).map(URI::create);
    }

    public Region regionOrDefault() {
        return region.orElseGet(() -> DefaultAwsRegionProviderChain.builder().build().getRegion());
    }

    /** Applies region, credentials and the endpoint override of {@code service} to a client builder. */
    public <B extends AwsClientBuilder<B, ?>> B configure(B builder, String service) {
        builder.region(regionOrDefault()).credentialsProvider(credentials);
        endpoint(service).ifPresent(builder::endpointOverride);
        return builder;
    }
}
