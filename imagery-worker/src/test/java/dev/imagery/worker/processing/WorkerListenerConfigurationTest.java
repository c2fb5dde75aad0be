package dev.imagery.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.imagery.aws.AwsClientsConfiguration;
import io.awspring.cloud.sqs.config.SqsMessageListenerContainerFactory;

/** The listener's settings as an operator gives them; nothing is received (the clients never connect). */
class WorkerListenerConfigurationTest {

    private final ApplicationContextRunner worker = new ApplicationContextRunner()
            // As SpringApplication does: "PT12S" becomes a Duration.
            .withInitializer(context -> context.getBeanFactory()
                    .setConversionService(ApplicationConversionService.getSharedInstance()))
            .withPropertyValues("AWS_REGION=us-east-1", "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test",
                    "AWS_ENDPOINT_URL=http://127.0.0.1:9")
            .withUserConfiguration(AwsClientsConfiguration.class, WorkerListenerConfiguration.class);

    @Test
    void eachReceiveWaitsAsLongAsConfiguredForAMessage() {
        worker.withPropertyValues("imagery.worker.long-poll=PT12S").run(context -> {
            SqsMessageListenerContainerFactory<?> factory = context.getBean(WorkerListenerConfiguration.FACTORY,
                    SqsMessageListenerContainerFactory.class);
            assertThat(factory.createContainer("imagery-process").getContainerOptions().getPollTimeout())
                    .isEqualTo(Duration.ofSeconds(12));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "PT21S", "PT2.5S", "-PT5S"})
    void aWaitSqsCannotMakeStopsTheWorkerFromStarting(String longPoll) {
        worker.withPropertyValues("imagery.worker.long-poll=" + longPoll).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("imagery.worker.long-poll must be whole seconds from 1 to 20");
        });
    }
}
