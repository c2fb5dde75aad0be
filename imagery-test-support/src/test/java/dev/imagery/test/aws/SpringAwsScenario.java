package dev.imagery.test.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import dev.imagery.local.AwsStack;

/** The Spring half of @UseAws: the backend's environment is what the application context sees. */
@SpringJUnitConfig(SpringAwsScenario.Empty.class)
abstract class SpringAwsScenario {

    @Autowired
    Environment environment;

    @Test
    void theContextSeesTheBackendsEnvironment(AwsStack aws) {
        aws.environment().forEach((key, value) -> assertThat(environment.getProperty(key)).as(key).isEqualTo(value));
        assertThat(environment.getProperty("AWS_ENDPOINT_URL_SQS")).startsWith("http://");
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }
}

@UseAws(Backend.EMBEDDED)
class SpringOnEmbeddedAwsTest extends SpringAwsScenario {
}

@UseAws(Backend.LOCALSTACK)
class SpringOnLocalStackTest extends SpringAwsScenario {
}
