package dev.imagery.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Collections;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imagery.local.child.ChildClasses;

/** What reaches the child JVMs from us, and what must not reach the JVMs that use imagery-local. */
class ChildClassesTest {

    @Test
    void theChildJarHoldsTwoClassesAndNoClassPath(@TempDir Path dir) throws Exception {
        Path jar = ChildClasses.jarIn(dir);
        assertThat(ChildClasses.jarIn(dir)).isEqualTo(jar);
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(Collections.list(file.entries())).extracting(ZipEntry::getName)
                    .containsExactlyInAnyOrder("META-INF/MANIFEST.MF",
                            "dev/imagery/local/child/ChildMain.class", "dev/imagery/local/child/ParentWatch.class");
            Attributes main = file.getManifest().getMainAttributes();
            assertThat(main.getValue("Premain-Class")).isEqualTo("dev.imagery.local.child.ParentWatch");
            assertThat(main.getValue(Attributes.Name.CLASS_PATH)).isNull();
        }
    }

    @Test
    void theEmulatorsAreNotOnOurClasspath() {
        for (String serverClass : new String[] {"com.amazonaws.services.dynamodbv2.local.main.ServerRunner",
                "org.elasticmq.server.Main", "org.gaul.s3proxy.Main"}) {
            assertThatThrownBy(() -> Class.forName(serverClass)).isInstanceOf(ClassNotFoundException.class);
        }
    }
}
