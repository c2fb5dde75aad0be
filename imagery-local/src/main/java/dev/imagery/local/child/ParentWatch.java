package dev.imagery.local.child;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;

/**
 * Makes a child JVM die with its parent. The parent holds the write end of the child's stdin; when the parent
 * exits for any reason (even kill -9) the OS closes that pipe and we read end-of-file here. No signal handling,
 * no polling of process ids, and it works the same on every OS.
 *
 * <p>Used two ways: by {@link ChildMain} in the emulator JVMs, and as a {@code -javaagent} for the API and
 * worker processes the launcher starts (it cannot change their main class).
 *
 * <p>JDK classes only: this class is copied into a tiny jar of its own, see {@link ChildClasses}.
 */
public final class ParentWatch {

    private ParentWatch() {
    }

    /** Agent entry point: {@code java -javaagent:imagery-child.jar -jar service.jar}. */
    public static void premain(String args, Instrumentation instrumentation) {
        watch(System.in);
    }

    /** Starts a daemon thread that exits the JVM (running shutdown hooks) once {@code stdin} is closed. */
    public static void watch(InputStream stdin) {
        Thread watcher = new Thread(() -> {
            try {
                while (stdin.read() >= 0) {
                    // The parent never writes; anything it might send is ignored.
                }
            } catch (IOException e) {
                // A broken pipe means the same as end-of-file: the parent is gone.
            }
            exitSoon();
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void exitSoon() {
        // System.exit runs shutdown hooks (Spring's graceful shutdown, the servers' own hooks). Should a hook hang,
        // halt after a grace period so that nothing outlives its parent.
        Thread reaper = new Thread(() -> {
            sleep(Long.getLong("imagery.child.exit-grace-ms", 40_000));
            Runtime.getRuntime().halt(1);
        }, "parent-watch-reaper");
        reaper.setDaemon(true);
        reaper.start();
        System.exit(0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
