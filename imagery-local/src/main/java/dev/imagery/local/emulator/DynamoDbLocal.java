package dev.imagery.local.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import dev.imagery.local.AwsService;

/**
 * AWS's DynamoDB Local. {@code -sharedDb}: one database whatever the credentials and region. Persistent mode
 * keeps it in a SQLite file ({@code -dbPath}), so the table and its items survive a restart; otherwise
 * {@code -inMemory} (restart = empty, the table is created again). Bound to 127.0.0.1 by ChildMain.
 *
 * <p>Its jar's manifest carries a Class-Path (".", DynamoDBLocal_lib/...) meant for the zip distribution;
 * the "." makes lib/ itself a classpath directory, which class-data sharing refuses. We run a copy of the
 * jar without that attribute (made once, beside lib/); the Maven dependencies already provide the libraries.
 */
final class DynamoDbLocal implements Emulator {

    @Override
    public AwsService service() {
        return AwsService.DYNAMODB;
    }

    @Override
    public String name() {
        return "dynamodb";
    }

    @Override
    public Launch prepare(Settings settings) throws IOException {
        Files.createDirectories(settings.dataDir());
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(settings.port()),
                "-sharedDb", "-disableTelemetry"));
        if (settings.persistent()) {
            args.addAll(List.of("-dbPath", settings.dataDir().toString()));
        } else {
            args.add("-inMemory");
        }
        // The full JIT (C2), unlike ElasticMQ: every API request reads or writes the table, and C2 more than
        // doubles the GetItem rate DynamoDB Local can serve (4496 -> 10179/s, docs/PERFORMANCE.md).
        // DynamoDB Local unpacks the SQLite library in its jar before loading it, by default into java.io.tmpdir,
        // and deletes it only when it exits cleanly: every stack killed (the crash tests kill some) left 0.9 MB in
        // /tmp. Unpacked into the stack's own folder, it goes with the folder, even after a kill (DataDirectory).
        return new Launch(List.of("-Dorg.sqlite.tmpdir=" + settings.dataDir()),
                "com.amazonaws.services.dynamodbv2.local.main.ServerRunner", args);
    }

    @Override
    public List<Path> classpath(Path lib) throws IOException {
        List<Path> classpath = new ArrayList<>();
        try (Stream<Path> files = Files.list(lib)) {
            for (Path jar : files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList()) {
                String name = jar.getFileName().toString();
                classpath.add(name.startsWith("DynamoDBLocal-") ? withoutManifestClassPath(jar) : jar);
            }
        }
        return classpath;
    }

    private static Path withoutManifestClassPath(Path jar) throws IOException {
        String name = jar.getFileName().toString();
        Path copy = jar.getParent().resolveSibling(name.replace(".jar", "-no-manifest-classpath.jar"));
        if (Files.isRegularFile(copy)) {
            return copy;
        }
        Path temp = Files.createTempFile(copy.getParent(), "dynamodb", ".jar.tmp");
        try (JarFile in = new JarFile(jar.toFile())) {
            Manifest manifest = new Manifest(in.getManifest());
            manifest.getMainAttributes().remove(Attributes.Name.CLASS_PATH);
            try (OutputStream file = Files.newOutputStream(temp); JarOutputStream out = new JarOutputStream(file, manifest)) {
                for (JarEntry entry : Collections.list(in.entries())) {
                    if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream bytes = in.getInputStream(entry)) {
                        bytes.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
            Files.move(temp, copy, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            if (!Files.isRegularFile(copy)) {
                throw e;
            }
        }
        return copy;
    }
}
