package dev.imagery.local.child;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Main class of every emulator child JVM: {@code ChildMain <server main class> <args...>}. Ties the child's life
 * to its parent ({@link ParentWatch}), then runs the server.
 *
 * <p>The child ignores SIGINT, SIGTERM and SIGHUP: a terminal's Ctrl-C (or a service manager's stop) signals
 * the whole process group at once, and the servers must outlive the API and worker, which still use AWS while
 * they drain. The parent stops a child by closing its stdin, and kills it if that does not work.
 *
 * <p>DynamoDB Local has no bind-address option and would listen on all interfaces; for it we build the server
 * through its public factory and set the Jetty connectors' host to 127.0.0.1 before starting it. Reflection
 * keeps this class free of the emulators' classes: it runs against whatever version is on the child classpath.
 */
public final class ChildMain {

    static final String DYNAMODB_MAIN = "com.amazonaws.services.dynamodbv2.local.main.ServerRunner";

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatch.watch(System.in);
        ignoreSignals("INT", "TERM", "HUP");
        String mainClass = args[0];
        String[] serverArgs = Arrays.copyOfRange(args, 1, args.length);
        if (DYNAMODB_MAIN.equals(mainClass)) {
            startDynamoDbOnLoopback(serverArgs);
        } else {
            Class.forName(mainClass).getMethod("main", String[].class).invoke(null, (Object) serverArgs);
        }
    }

    /** sun.misc.Signal through reflection: jdk.unsupported is always there at run time, not always to javac. */
    private static void ignoreSignals(String... names) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object ignore = handler.getField("SIG_IGN").get(null);
            Method handle = signal.getMethod("handle", signal, handler);
            for (String name : names) {
                try {
                    handle.invoke(null, signal.getConstructor(String.class).newInstance(name), ignore);
                } catch (ReflectiveOperationException | RuntimeException unsupported) {
                    // No such signal on this OS (Windows has no HUP): nothing to ignore.
                }
            }
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            // Without sun.misc.Signal the child still stops with its parent, just also on Ctrl-C.
        }
    }

    private static void startDynamoDbOnLoopback(String[] args) throws Exception {
        String host = System.getProperty("imagery.child.bind", "127.0.0.1");
        Object proxyServer = Class.forName(DYNAMODB_MAIN)
                .getMethod("createServerFromCommandLineArgs", String[].class)
                .invoke(null, (Object) args);
        Field serverField = proxyServer.getClass().getDeclaredField("server");
        serverField.setAccessible(true);
        Object jetty = serverField.get(proxyServer);
        for (Object connector : (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty)) {
            Method setHost = connector.getClass().getMethod("setHost", String.class);
            setHost.invoke(connector, host);
        }
        proxyServer.getClass().getMethod("start").invoke(proxyServer);
    }
}
