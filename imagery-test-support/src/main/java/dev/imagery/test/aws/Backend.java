package dev.imagery.test.aws;

/** Where a test's AWS calls go. Write a scenario once and run it on each, see {@link UseAws}. */
public enum Backend {

    /** DynamoDB Local, ElasticMQ and S3Proxy in child JVMs (imagery-local): always available. */
    EMBEDDED,

    /** LocalStack in Docker through Testcontainers: skipped, with the reason printed, when there is no Docker. */
    LOCALSTACK
}
