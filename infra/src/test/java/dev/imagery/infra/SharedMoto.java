package dev.imagery.infra;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One moto_server for every test class that declares {@code @ExtendWith(SharedMoto.class)}:
 * started before the first such class (skipping it when aws or moto is missing), kept in the root
 * extension store and stopped by JUnit when the whole run ends, whatever happened. The classes use
 * distinct resource names, so sharing costs nothing and saves a start-up on a busy machine.
 */
final class SharedMoto implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedMoto.class);

    private static volatile MotoServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        AwsCli.requireInstalled();
        server = context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(MotoServer.class, key -> MotoServer.start(), MotoServer.class);
    }

    static MotoServer server() {
        return server;
    }
}
