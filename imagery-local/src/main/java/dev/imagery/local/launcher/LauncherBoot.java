package dev.imagery.local.launcher;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Main-Class of imagery-local.jar. The jar deliberately has no manifest Class-Path (it also sits on test
 * classpaths, where lib/ must not follow it), so this loads the jar plus {@code lib/*.jar} beside it in a
 * class loader of its own and runs {@link Launcher} there.
 */
public final class LauncherBoot {

    private static final String LAUNCHER = "dev.imagery.local.launcher.Launcher";

    private LauncherBoot() {
    }

    public static void main(String[] args) throws Throwable {
        Path self = Path.of(LauncherBoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ClassLoader loader = LauncherBoot.class.getClassLoader();
        if (Files.isRegularFile(self)) {
            Path lib = self.resolveSibling("lib");
            if (!Files.isDirectory(lib)) {
                System.err.println("imagery-local: " + lib + " is missing; build with ./mvnw -DskipTests package");
                System.exit(2);
            }
            List<URL> urls = new ArrayList<>(List.of(self.toUri().toURL()));
            try (Stream<Path> jars = Files.list(lib)) {
                for (Path jar : jars.filter(path -> path.toString().endsWith(".jar")).sorted().toList()) {
                    urls.add(jar.toUri().toURL());
                }
            }
            loader = new URLClassLoader("imagery-local", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
            Thread.currentThread().setContextClassLoader(loader);
        }
        try {
            loader.loadClass(LAUNCHER).getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
