package dev.imagery.local;

/** The three AWS services Imagery uses, each with the environment key that overrides its endpoint. */
public enum AwsService {
    DYNAMODB("AWS_ENDPOINT_URL_DYNAMODB"),
    SQS("AWS_ENDPOINT_URL_SQS"),
    S3("AWS_ENDPOINT_URL_S3");

    private final String endpointKey;

    AwsService(String endpointKey) {
        this.endpointKey = endpointKey;
    }

    /** The environment variable (and Spring property) carrying this service's endpoint URL. */
    public String endpointKey() {
        return endpointKey;
    }
}
