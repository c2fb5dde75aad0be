package dev.imagery.e2e.reliability;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.imagery.test.aws.Backend;

/**
 * A reliability scenario, run once per {@link Backend} against that backend's shared fleet. Whatever a test kills,
 * stops or freezes, {@link #heal()} brings the fleet back afterwards, so the next test starts with all of it.
 */
@ParameterizedClass
@EnumSource(Backend.class)
abstract class ReliabilityScenario {

    final ImageryCluster cluster;

    /** Joins the fleet on {@code backend}; without Docker, LOCALSTACK aborts the test here (reported skipped). */
    ReliabilityScenario(Backend backend) {
        cluster = ImageryCluster.shared(backend);
    }

    /**
     * For scenarios that stop one AWS server: {@code super(whereOneServiceCanStop(backend))} skips them on
     * LocalStack before its fleet is started (see {@link ImageryCluster#assumeOneServiceCanStop}).
     */
    static Backend whereOneServiceCanStop(Backend backend) {
        ImageryCluster.assumeOneServiceCanStop(backend);
        return backend;
    }

    @AfterEach
    void heal() {
        cluster.heal();
    }
}
