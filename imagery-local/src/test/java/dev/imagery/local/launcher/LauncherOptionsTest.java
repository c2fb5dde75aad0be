package dev.imagery.local.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LauncherOptionsTest {

    @Test
    void theWorkerHeapGoesToEveryWorkerAsItsMaximumHeap() {
        LauncherOptions options = LauncherOptions.parse("--only=aws", "--worker-heap=1g");

        assertThat(Launcher.workerJvmOptions(options)).contains("-Xmx1g", "-XX:+UseSerialGC");
        assertThat(Launcher.workerJvmOptions(LauncherOptions.parse("--only=aws"))).contains("-Xmx208m");
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "512", "512k", "-1g", "0m", "64m", "512m -Xss1k"})
    void aWorkerHeapThatIsNotASizeTheWorkerCanRunInIsRefused(String heap) {
        assertThatThrownBy(() -> LauncherOptions.parse("--only=aws", "--worker-heap=" + heap))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--worker-heap");
    }
}
