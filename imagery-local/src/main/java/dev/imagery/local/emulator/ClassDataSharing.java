package dev.imagery.local.emulator;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * AppCDS for the emulator JVMs: the first run of an emulator records the classes it loaded into an archive
 * beside its lib/ folder ({@code -XX:ArchiveClassesAtExit}, written when the child exits); later runs map that
 * archive instead of loading and verifying the classes again. On these 2-core machines this roughly halves the
 * start-up and trims ~40 MB RSS per child. The archive name includes a hash of the JVM and the classpath, so
 * a different JDK or emulator version simply records a new one. {@code -Dimagery.emulators.cds=false} turns
 * it off. A JVM that cannot use an archive ignores it (with a warning in the child's log).
 */
final class ClassDataSharing {

    private final Path archive;
    private final Path recording;

    private ClassDataSharing(Path archive, Path recording) {
        this.archive = archive;
        this.recording = recording;
    }

    /** Plans archive use for a child started with exactly {@code classpath}; null when disabled or impossible. */
    static ClassDataSharing plan(Path lib, String classpath) {
        if (!Boolean.parseBoolean(System.getProperty("imagery.emulators.cds", "true"))) {
            return null;
        }
        try {
            Path archive = lib.resolveSibling("cds-" + key(classpath) + ".jsa");
            if (!Files.isWritable(lib.getParent())) {
                return null;
            }
            Path recording = lib.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid()
                    + "-" + System.nanoTime() + ".tmp");
            return new ClassDataSharing(archive, recording);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    List<String> jvmOptions() {
        if (Files.isRegularFile(archive)) {
            return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        }
        return List.of("-XX:ArchiveClassesAtExit=" + recording, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    }

    /**
     * After the child exited: publishes a freshly recorded archive (atomically; concurrent recorders race
     * harmlessly), but only after a clean exit: a child killed while writing it leaves a truncated file.
     */
    void childExited(boolean clean) {
        try {
            if (Files.isRegularFile(recording)) {
                if (clean && Files.size(recording) > 0 && !Files.exists(archive)) {
                    Files.move(recording, archive, StandardCopyOption.ATOMIC_MOVE);
                    removeOutdated();
                } else {
                    Files.delete(recording);
                }
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(recording);
            } catch (IOException ignored) {
                // Left in target/; mvn clean removes it.
            }
        }
    }

    /** Archives for an earlier classpath (a rebuilt jar): ~50 MB each and never used again. */
    private void removeOutdated() throws IOException {
        try (Stream<Path> siblings = Files.list(archive.getParent())) {
            for (Path old : siblings.filter(path -> path.getFileName().toString().matches("cds-[0-9a-f]+\\.jsa")
                    && !path.equals(archive)).toList()) {
                try {
                    Files.delete(old);
                } catch (IOException inUse) {
                    // Mapped by a running child on a system that forbids deleting it: next time.
                }
            }
        }
    }

    /** JVM, classpath and every jar's name, size and modification time: what the JVM checks before mapping it. */
    private static String key(String classpath) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((System.getProperty("java.home") + '|' + System.getProperty("java.vm.version") + '|'
                    + classpath).getBytes(StandardCharsets.UTF_8));
            for (String entry : classpath.split(File.pathSeparator)) {
                List<Path> files;
                if (entry.endsWith("*")) {
                    try (Stream<Path> list = Files.list(Path.of(entry).getParent())) {
                        files = list.sorted().toList();
                    }
                } else {
                    files = List.of(Path.of(entry));
                }
                for (Path file : files) {
                    digest.update((file.getFileName() + ":" + Files.size(file) + ":"
                            + Files.getLastModifiedTime(file).toMillis() + ";").getBytes(StandardCharsets.UTF_8));
                }
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
