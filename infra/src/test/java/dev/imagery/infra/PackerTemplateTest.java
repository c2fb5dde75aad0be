package dev.imagery.infra;

import static dev.imagery.infra.Template.at;
import static dev.imagery.infra.Template.list;
import static dev.imagery.infra.Template.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.bertramlabs.plugins.hcl4j.HCLParser;

/**
 * packer/imagery.pkr.hcl and the systemd units it installs. A current Packer cannot be installed on
 * the project's machines, so the template is read with hcl4j (a Java HCL parser, lenient: it does
 * not know Packer's schema) and its structure asserted; `packer validate` runs too when a packer
 * binary is on the PATH (a current one, or Debian's old 1.6.6 for a partial check). The units are
 * checked with `systemd-analyze verify`.
 */
class PackerTemplateTest {

    private static final Path PACKER = Repository.file("packer/imagery.pkr.hcl");

    private static Map<String, Object> hcl() throws Exception {
        return map(new HCLParser().parse(PACKER.toFile(), "UTF-8"));
    }

    @Test
    void buildsFromAmazonsNewestAmazonLinux2023WithImdsV2AndAnEncryptedDisk() throws Exception {
        Map<String, Object> hcl = hcl();
        assertThat(hcl).as("top-level blocks (a missing brace nests them)")
                .containsOnlyKeys("packer", "variable", "locals", "source", "build");
        assertThat(at(hcl, "packer", "required_plugins", "amazon", "source")).isEqualTo("github.com/hashicorp/amazon");
        assertThat(map(hcl.get("variable"))).containsKeys("region", "instance_type");

        Map<String, Object> source = map(at(hcl, "source", "amazon-ebs", "imagery"));
        assertThat(source).as("source \"amazon-ebs\" \"imagery\"").isNotNull();
        assertThat(at(source, "source_ami_filter", "owners")).isEqualTo(List.of("amazon"));
        assertThat(at(source, "source_ami_filter", "most_recent")).isEqualTo(true);
        assertThat(map(at(source, "source_ami_filter", "filters")))
                .containsEntry("name", "al2023-ami-2023.*-x86_64")
                .containsEntry("architecture", "x86_64")
                .containsEntry("root-device-type", "ebs");
        // hcl4j resolves var.* to the variables' defaults.
        assertThat(source).containsEntry("region", at(hcl, "variable", "region", "default"))
                .containsEntry("instance_type", at(hcl, "variable", "instance_type", "default"))
                .containsEntry("imds_support", "v2.0");
        assertThat(at(source, "metadata_options", "http_tokens")).isEqualTo("required");
        assertThat(at(source, "launch_block_device_mappings", "encrypted")).isEqualTo(true);
    }

    @Test
    void installsCorrettoBothJarsAndTheUnitsAndWritesAManifest() throws Exception {
        Map<String, Object> build = map(hcl().get("build"));
        assertThat(list(build.get("sources"))).containsExactly("source.amazon-ebs.imagery");

        List<Object> uploads = list(at(build, "provisioner", "file"));
        assertThat(uploads).hasSize(1);
        List<Object> sources = list(at(uploads.get(0), "sources"));
        assertThat(sources).map(Object::toString).anySatisfy(jar -> assertThat(jar).endsWith("imagery-api/target/imagery-api.jar"))
                .anySatisfy(jar -> assertThat(jar).endsWith("imagery-worker/target/imagery-worker.jar"));
        // Files the build reads from this repository (path.root is the packer directory).
        for (Object file : sources) {
            String path = file.toString();
            if (path.startsWith("path.root/files/")) {
                assertThat(PACKER.resolveSibling(path.substring("path.root/".length()))).isRegularFile();
            }
        }
        assertThat(sources).map(Object::toString)
                .contains("path.root/files/imagery-api.service", "path.root/files/imagery-worker.service");

        Object install = list(at(build, "provisioner", "shell")).stream()
                .filter(shell -> at(shell, "script") != null).findFirst().orElseThrow();
        assertThat(at(install, "script")).isEqualTo("path.root/scripts/install.sh");
        String script = Files.readString(PACKER.resolveSibling("scripts/install.sh"));
        assertThat(script).contains("set -euxo pipefail")
                .containsPattern("dnf -y install [^\\n]*java-25-amazon-corretto-headless")
                .containsPattern("dnf -y install [^\\n]*aws-cfn-bootstrap")
                .contains("useradd --system")
                .contains("/opt/imagery/")
                // The units' AOT cache, trained the way Spring Boot documents it (stop after the context refresh).
                .contains("-XX:AOTCacheOutput=\"/opt/imagery/$service.aot\"")
                .contains("-Dspring.context.exit=onRefresh")
                // Trained with the unit's own options (below: Spring AOT mode, native access), or the cache is rejected
                // or holds the classes of another start.
                .containsPattern("java_opts=\\$\\(unit_java_opts \"/tmp/imagery/\\$service.service\"\\)")
                .containsPattern("java \\$java_opts -XX:AOTCacheOutput")
                .contains("dnf -y install turbojpeg")
                .contains("dnf -y install isa-l")
                .contains("dnf -y install libwebp")
                .contains("systemd-analyze verify")
                .contains("systemctl disable sshd.service")
                .doesNotContain("systemctl enable");
        Cli.Result syntax = Cli.run(List.of("bash", "-n", PACKER.resolveSibling("scripts/install.sh").toString()), Map.of(),
                Duration.ofSeconds(30));
        assertThat(syntax.exitCode()).as(syntax.describe()).isZero();

        // What the training runs get, from the real units: their options, less the cache they are recording.
        for (String service : List.of("imagery-api", "imagery-worker")) {
            String unit = PACKER.resolveSibling("files/" + service + ".service").toString();
            Cli.Result opts = Cli.run(List.of("bash", "-c", "eval \"$(sed -n '/^unit_java_opts()/,/^}/p' \"$0\")\"; unit_java_opts \"$1\"",
                    PACKER.resolveSibling("scripts/install.sh").toString(), unit), Map.of(), Duration.ofSeconds(30));
            assertThat(opts.exitCode()).as(opts.describe()).isZero();
            assertThat(opts.stdout()).as(service).contains("-Dspring.aot.enabled=true", "-XX:MaxRAMPercentage=75")
                    .doesNotContain("AOTCache");
            if (service.equals("imagery-worker")) {
                assertThat(opts.stdout()).contains("--enable-native-access=ALL-UNNAMED");
            }
        }

        Map<String, Object> manifest = map(at(build, "post-processor", "manifest"));
        assertThat(manifest).as("post-processor \"manifest\"").isNotNull()
                .containsEntry("output", "packer-manifest.json")
                .containsEntry("strip_path", true);
    }

    @Test
    void unitsRunAsTheirOwnUserRestartAndReadTheEnvironmentFile() throws IOException {
        for (String service : List.of("imagery-api", "imagery-worker")) {
            Map<String, String> unit = unitSettings(PACKER.resolveSibling("files/" + service + ".service"));
            assertThat(unit).as(service)
                    .containsEntry("User", "imagery")
                    .containsEntry("Restart", "on-failure")
                    .containsEntry("EnvironmentFile", "/etc/imagery/imagery.env")
                    .containsEntry("ConditionPathExists", "/etc/imagery/imagery.env")
                    .containsEntry("ExecStart", "/usr/bin/java $JAVA_OPTS -jar /opt/imagery/" + service + ".jar")
                    .containsEntry("NoNewPrivileges", "yes")
                    .containsEntry("ProtectSystem", "strict")
                    .containsEntry("PrivateTmp", "yes")
                    .containsEntry("CapabilityBoundingSet", "")
                    .containsEntry("SuccessExitStatus", "143");
            assertThat(Integer.parseInt(unit.get("TimeoutStopSec"))).as("time for the graceful shutdown").isGreaterThanOrEqualTo(40);
            assertThat(unit.get("Environment")).contains("SERVER_PORT=" + (service.equals("imagery-api") ? "8080" : "8081"))
                    .contains("-XX:AOTCache=/opt/imagery/" + service + ".aot")
                    .contains("-Dspring.aot.enabled=true")
                    // AOTMode=on would turn a missing or stale cache into a service that never starts.
                    .doesNotContain("AOTMode");
            if (service.equals("imagery-worker")) {
                assertThat(unit.get("Environment")).contains("--enable-native-access=ALL-UNNAMED");
            }
        }
    }

    @Test
    void systemdAcceptsTheUnits() {
        if (!Cli.onPath("systemd-analyze")) {
            Cli.skip("systemd-analyze is not installed");
        }
        if (!Files.isExecutable(Path.of("/usr/bin/java"))) {
            Cli.skip("systemd-analyze verify needs the units' /usr/bin/java to exist, and it does not here");
        }
        Cli.Result verify = Cli.run(List.of("systemd-analyze", "verify",
                PACKER.resolveSibling("files/imagery-api.service").toString(),
                PACKER.resolveSibling("files/imagery-worker.service").toString()), Map.of(), Duration.ofMinutes(1));
        assertThat(verify.exitCode()).as(verify.describe()).isZero();
        assertThat(verify.stdout() + verify.stderr()).as("warnings (unknown keys, bad values)").isBlank();
    }

    @Test
    void packerValidatesTheTemplateWhereItIsInstalled(@TempDir Path scratch) throws IOException {
        if (!Cli.onPath("packer")) {
            Cli.skip("packer is not installed (HashiCorp's releases are out of reach here; Debian's"
                    + " `apt-get install packer` gives 1.6.6, which this test can use for a partial check)");
        }
        Cli.Result version = Cli.run(List.of("packer", "version"), Map.of(), Duration.ofMinutes(1));
        Matcher number = Pattern.compile("v(\\d+)\\.(\\d+)").matcher(version.stdout());
        assertThat(number.find()).as(version.describe()).isTrue();
        int major = Integer.parseInt(number.group(1));
        int minor = Integer.parseInt(number.group(2));

        if (major > 1 || minor >= 10) {
            // Without `packer init` (no network) only the syntax can be checked.
            Cli.Result validate = Cli.run(List.of("packer", "validate", "-syntax-only", PACKER.toString()), Map.of(),
                    Duration.ofMinutes(2));
            assertThat(validate.exitCode()).as(validate.describe()).isZero();
            return;
        }

        // An older Packer (Debian's 1.6.6) knows the amazon-ebs builder, the provisioners and the
        // manifest post-processor, but not what came later: the packer block's required_plugins and
        // version pin, imds_support, metadata_options, temporary_security_group_source_public_ip.
        // Validate a copy without exactly those (the hcl4j tests check them), laid out like the
        // repository, with empty stand-ins for the jars (validate only checks that sources exist).
        String template = Files.readString(PACKER);
        String older = removeBlock(removeBlock(template, "packer {"), "  metadata_options {")
                .replaceAll("(?m)^\\s*(imds_support|temporary_security_group_source_public_ip)\\s*=.*\\n", "");
        assertThat(older).hasSizeLessThan(template.length() - 100);
        Path packer = Files.createDirectories(scratch.resolve("packer"));
        Files.writeString(packer.resolve("imagery.pkr.hcl"), older);
        for (String file : List.of("files/imagery-api.service", "files/imagery-worker.service", "scripts/install.sh")) {
            Files.createDirectories(packer.resolve(file).getParent());
            Files.copy(PACKER.resolveSibling(file), packer.resolve(file));
        }
        for (String jar : List.of("imagery-api/target/imagery-api.jar", "imagery-worker/target/imagery-worker.jar")) {
            Files.createDirectories(scratch.resolve(jar).getParent());
            Files.createFile(scratch.resolve(jar));
        }
        Cli.Result validate = Cli.run(List.of("packer", "validate", packer.resolve("imagery.pkr.hcl").toString()),
                Map.of("CHECKPOINT_DISABLE", "1"), Duration.ofMinutes(2));
        assertThat(validate.exitCode()).as(validate.describe()).isZero();
        System.out.println("[imagery-infra] PackerTemplateTest: validated with Packer " + major + "." + minor
                + " (without the settings newer than it: required_plugins, imds_support, metadata_options,"
                + " temporary_security_group_source_public_ip)");
    }

    /** The text without the block that starts at the line beginning with {@code opening}. */
    private static String removeBlock(String text, String opening) {
        int start = text.indexOf("\n" + opening) + 1;
        assertThat(start).as("block " + opening).isPositive();
        int depth = 0;
        for (int i = start; i < text.length(); i++) {
            if (text.charAt(i) == '{') {
                depth++;
            } else if (text.charAt(i) == '}' && --depth == 0) {
                return text.substring(0, start) + text.substring(i + 1);
            }
        }
        throw new AssertionError("Unbalanced block " + opening);
    }

    /** Key=value lines of a unit file; a repeated key (Environment=) keeps every value, joined by newlines. */
    private static Map<String, String> unitSettings(Path file) throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("[")) {
                continue;
            }
            int equals = line.indexOf('=');
            settings.merge(line.substring(0, equals), line.substring(equals + 1), (a, b) -> a + "\n" + b);
        }
        return settings;
    }
}
