package dev.imagery.test.aws;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * Runs a test class against an AWS backend. Write the scenario once as an abstract class, then one line per
 * backend:
 *
 * <pre>{@code
 * @SpringBootTest
 * abstract class UploadScenario {
 *     @Test void uploads() { ... }
 * }
 *
 * @UseAws(Backend.EMBEDDED)   class UploadOnEmbeddedAwsTest extends UploadScenario { }
 * @UseAws(Backend.LOCALSTACK) class UploadOnLocalStackTest extends UploadScenario { }
 * }</pre>
 *
 * <p>What it does:
 * <ul>
 * <li>Spring tests: the backend's {@link dev.imagery.local.AwsStack#environment() environment} (AWS_REGION,
 *     credentials, AWS_ENDPOINT_URL_*, IMAGERY_*) becomes a property source of highest precedence, so the
 *     application reads exactly what it reads in production from the OS environment. Contexts are cached
 *     per backend.</li>
 * <li>LOCALSTACK without Docker: the class is skipped and "LocalStack tests skipped: ..." is printed once.</li>
 * <li>Test methods and constructors may take an {@link dev.imagery.local.AwsStack} parameter (or
 *     {@link dev.imagery.local.EmbeddedAws} for outage tests on the embedded backend).</li>
 * </ul>
 * The backend starts on first use and lives until the JVM exits, see {@link TestAws}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(AwsExtension.class)
@ContextCustomizerFactories(AwsContextCustomizerFactory.class)
public @interface UseAws {

    Backend value() default Backend.EMBEDDED;
}
