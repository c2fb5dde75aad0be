package dev.imagery.test.aws;

import java.util.LinkedHashMap;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * The Spring side of {@link UseAws}: the backend's environment as the first property source. The backend is
 * started when a context is actually loaded, not when Spring merely inspects the test class.
 */
final class AwsContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> attributes) {
        UseAws useAws = TestContextAnnotationUtils.findMergedAnnotation(testClass, UseAws.class);
        return useAws == null ? null : new AwsPropertySource(useAws.value());
    }

    /** A record: equal for equal backends, which is what Spring's context cache keys on. */
    record AwsPropertySource(Backend backend) implements ContextCustomizer {

        static final String NAME = "imageryAws";

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            context.getEnvironment().getPropertySources()
                    .addFirst(new MapPropertySource(NAME + "-" + backend, new LinkedHashMap<>(TestAws.of(backend).environment())));
        }
    }
}
