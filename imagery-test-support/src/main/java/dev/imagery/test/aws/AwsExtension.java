package dev.imagery.test.aws;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import dev.imagery.local.AwsStack;
import dev.imagery.local.EmbeddedAws;

/** The JUnit side of {@link UseAws}: skips LocalStack classes without Docker, injects the backend. */
final class AwsExtension implements ExecutionCondition, ParameterResolver {

    private static final AtomicBoolean PRINTED = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (backend(context) != Backend.LOCALSTACK) {
            return ConditionEvaluationResult.enabled("embedded AWS is always available");
        }
        Optional<String> reason = TestAws.localStackUnavailableReason();
        if (reason.isEmpty()) {
            return ConditionEvaluationResult.enabled("Docker is available");
        }
        String message = LocalStackAws.SKIPPED + reason.get();
        if (PRINTED.compareAndSet(false, true)) {
            System.out.println(message);
            // Also straight to the process's stderr: Maven shows it even when surefire redirects System.out and
            // System.err to files (redirectTestOutputToFile, set in the parent pom).
            new PrintStream(new FileOutputStream(FileDescriptor.err), true).println(message);
        }
        return ConditionEvaluationResult.disabled(message);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == AwsStack.class || type == EmbeddedAws.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Backend backend = backend(context);
        if (parameter.getParameter().getType() == EmbeddedAws.class && backend != Backend.EMBEDDED) {
            throw new ParameterResolutionException("EmbeddedAws is only available with @UseAws(Backend.EMBEDDED)");
        }
        return TestAws.of(backend);
    }

    private static Backend backend(ExtensionContext context) {
        return context.getTestClass()
                .flatMap(type -> AnnotationSupport.findAnnotation(type, UseAws.class))
                .map(UseAws::value)
                .orElse(Backend.EMBEDDED);
    }
}
