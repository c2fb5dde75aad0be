package dev.imagery.aws;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.imagery.image.ImageRepository;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;

/**
 * The AWS clients both services use, configured once from the standard SDK settings. The same jars
 * run against real AWS, LocalStack and the embedded stack; only these settings differ. Spring Cloud
 * AWS picks up the {@link SqsAsyncClient} defined here instead of creating its own.
 */
@Configuration(proxyBeanMethods = false)
public class AwsClientsConfiguration {

    @Bean
    AwsSettings awsSettings(Environment environment) {
        return AwsSettings.from(environment);
    }

    @Bean
    ImageryResources imageryResources(Environment environment) {
        return ImageryResources.from(environment);
    }

    @Bean
    DynamoDbClient dynamoDbClient(AwsSettings aws) {
        // Single-item requests take milliseconds: a DynamoDB that hangs (rather than refusing connections)
        // must turn into a quick 503 for the client and a retry for the worker, not a request stuck for minutes.
        // The HTTP client's timeouts bound each attempt: a request this small never blocks on its write, so a
        // hung server shows as a read that times out, and three attempts end the call within 20 s. The
        // SDK's call timeouts would do the same with two timer tasks per call, on a scheduler thread that every
        // call wakes: a tenth to a fifth of the API's CPU per request (docs/PERFORMANCE.md, 4).
        return aws.configure(DynamoDbClient.builder(), "DYNAMODB")
                .httpClientBuilder(Apache5HttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .connectionAcquisitionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(4)))
                .overrideConfiguration(retries -> retries.retryStrategy(RetryMode.STANDARD))
                .build();
    }

    @Bean
    DynamoDbEnhancedClient dynamoDbEnhancedClient(DynamoDbClient dynamoDb) {
        return DynamoDbEnhancedClient.builder().dynamoDbClient(dynamoDb).build();
    }

    @Bean
    S3Client s3Client(AwsSettings aws) {
        return aws.configure(S3Client.builder(), "S3").serviceConfiguration(s3Configuration(aws)).build();
    }

    @Bean
    S3Presigner s3Presigner(AwsSettings aws) {
        S3Presigner.Builder presigner = S3Presigner.builder()
                .region(aws.regionOrDefault())
                .credentialsProvider(aws.credentials())
                .serviceConfiguration(s3Configuration(aws));
        aws.endpoint("S3").ifPresent(presigner::endpointOverride);
        return presigner.build();
    }

    @Bean
    SqsNetworkThreads sqsNetworkThreads() {
        return SqsNetworkThreads.start();
    }

    @Bean
    SqsAsyncClient sqsAsyncClient(AwsSettings aws, SqsNetworkThreads threads) {
        // Each attempt outlives the longest long poll SQS allows (20 s; the worker's is 5 s unless configured,
        // WorkerListenerConfiguration); a frozen SQS still ends every call within a minute, so the worker's
        // acknowledgements and heartbeats fail and are retried instead of piling up.
        return aws.configure(SqsAsyncClient.builder(), "SQS")
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .eventLoopGroup(SdkEventLoopGroup.create(threads.group())))
                .overrideConfiguration(timeouts -> timeouts
                        .apiCallAttemptTimeout(Duration.ofSeconds(25))
                        .apiCallTimeout(Duration.ofSeconds(60)))
                .build();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ImageRepository imageRepository(DynamoDbEnhancedClient dynamoDb, ImageryResources resources, Clock clock) {
        return new ImageRepository(dynamoDb, resources.table(), clock);
    }

    /**
     * The SQS client's network threads, ours rather than the SDK's: the SDK ends its own with Netty's 2 s quiet
     * period, which every stop of the API and the worker waited for (2.4 s of the worker's 2.5 s). These end at
     * once, after the client that uses them has closed.
     */
    record SqsNetworkThreads(EventLoopGroup group) implements AutoCloseable {

        @SuppressWarnings("deprecation") // the class the SDK makes itself, and the only kind whose channels it knows
        static SqsNetworkThreads start() {
            // 0: Netty's default number of threads, as the SDK's own group has.
            return new SqsNetworkThreads(new NioEventLoopGroup(0, new DefaultThreadFactory("sqs-netty", true)));
        }

        @Override
        public void close() {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static S3Configuration s3Configuration(AwsSettings aws) {
        // Emulators (S3Proxy, LocalStack) serve buckets by path, not by DNS name.
        return S3Configuration.builder().pathStyleAccessEnabled(aws.endpoint("S3").isPresent()).build();
    }
}
