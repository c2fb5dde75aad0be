package dev.imagery.local.child;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes {@link ChildMain} and {@link ParentWatch} into a jar of their own. Child JVMs get only this jar plus
 * their server's classpath: putting imagery-local's own classes or jar there would also bring its manifest
 * and, with it, AWS SDK versions the servers did not ask for. The jar doubles as the {@code -javaagent}.
 */
public final class ChildClasses {

    private static final List<Class<?>> CLASSES = List.of(ChildMain.class, ParentWatch.class);

    private ChildClasses() {
    }

    /**
     * The jar in {@code dir}, named after its content and written only when missing: a stable path and
     * modification time let the children's class-data-sharing archives stay valid from run to run.
     */
    public static Path jarIn(Path dir) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Class<?> type : CLASSES) {
            try (InputStream bytes = classFile(type)) {
                digest.update(bytes.readAllBytes());
            }
        }
        Path jar = dir.resolve("imagery-child-" + HexFormat.of().formatHex(digest.digest(), 0, 6) + ".jar");
        return Files.isRegularFile(jar) ? jar : writeJar(jar);
    }

    /** Writes the jar to {@code target} (replacing it) and returns {@code target}. */
    public static Path writeJar(Path target) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ChildMain.class.getName());
        manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), ParentWatch.class.getName());
        Path temp = Files.createTempFile(target.getParent(), "child", ".jar.tmp");
        try (OutputStream file = Files.newOutputStream(temp); JarOutputStream jar = new JarOutputStream(file, manifest)) {
            for (Class<?> type : CLASSES) {
                String entry = type.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(entry));
                try (InputStream bytes = classFile(type)) {
                    bytes.transferTo(jar);
                }
                jar.closeEntry();
            }
        }
        return Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static InputStream classFile(Class<?> type) throws IOException {
        String entry = type.getName().replace('.', '/') + ".class";
        InputStream bytes = type.getClassLoader().getResourceAsStream(entry);
        if (bytes == null) {
            throw new IOException("class file not found: " + entry);
        }
        return bytes;
    }
}
