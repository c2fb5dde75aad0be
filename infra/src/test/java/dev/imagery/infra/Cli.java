package dev.imagery.infra;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Runs the real command-line tools (cfn-lint, aws, bash scripts) and captures what they say. */
final class Cli {

    record Result(List<String> command, int exitCode, String stdout, String stderr) {

        boolean ok() {
            return exitCode == 0;
        }

        /** Everything a failed assertion needs to be understood without rerunning. */
        String describe() {
            return String.join(" ", command) + "\nexit code " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private Cli() {
    }

    /**
     * Runs a command in the repository root; a null value in the environment removes that
     * variable. Output goes through files rather than pipes, so a chatty tool cannot block on a
     * full pipe; the process and its children are killed when the timeout passes.
     */
    static Result run(List<String> command, Map<String, String> environment, Duration timeout) {
        try {
            Path out = Files.createTempFile("imagery-infra-", ".out");
            Path err = Files.createTempFile("imagery-infra-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(Repository.root().toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                environment.forEach((name, value) -> {
                    if (value == null) {
                        builder.environment().remove(name);
                    } else {
                        builder.environment().put(name, value);
                    }
                });
                Process process = builder.start();
                try {
                    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new AssertionError("Timed out after " + timeout + ": " + String.join(" ", command)
                                + "\n--- stdout\n" + Files.readString(out) + "\n--- stderr\n" + Files.readString(err));
                    }
                } finally {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
                return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("Could not run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted: " + String.join(" ", command), e);
        }
    }

    /** True when an executable of that name is on the PATH. */
    static boolean onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, name))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Skips the calling test, with the reason on standard output, unless the tool runs. A tool that
     * is present but broken fails the test instead: only absence is a reason to skip.
     */
    static void requireTool(String name, String... versionCommand) {
        if (!onPath(versionCommand[0])) {
            skip(name + " is not installed (no " + versionCommand[0] + " on the PATH)");
        }
        Result version = run(List.of(versionCommand), Map.of(), Duration.ofSeconds(60));
        if (!version.ok()) {
            throw new AssertionError(name + " is on the PATH but does not run:\n" + version.describe());
        }
    }

    static void skip(String reason) {
        String caller = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames.map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(type -> type != Cli.class && type != MotoServer.class)
                        .findFirst().map(Class::getSimpleName).orElse("infra test"));
        System.out.println("[imagery-infra] SKIPPED " + caller + ": " + reason);
        Assumptions.abort(reason);
    }
}
