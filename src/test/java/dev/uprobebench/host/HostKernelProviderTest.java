package dev.uprobebench.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.uprobebench.registry.HostKernel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The release-17 side reaches the host layer through ServiceLoader, and gets measured trap costs. */
class HostKernelProviderTest {
    @Test
    void theRest17SideFindsTheHostLayerOnA25Jvm() {
        assertInstanceOf(HostKernelProvider.class, HostKernel.load());
    }

    @Test
    void aUsableHostMeasuresTheCostOfBothTrapKinds() {
        RealUprobes.require();
        HostKernel.Capability c = HostKernel.load().check(RealUprobes.scratch(), true);
        assertTrue(c.usable(), c.summary());
        assertEquals(List.of("nop5", "int3"), c.trapCosts().stream().map(HostKernel.TrapCost::trap).toList());
        for (HostKernel.TrapCost t : c.trapCosts()) {
            assertTrue(t.minNs() > 0 && t.minNs() <= t.medianNs() && t.medianNs() <= t.maxNs(), t.format());
            assertEquals(HostKernelProvider.REPETITIONS, t.repetitions());
        }
    }

    @Test
    void aQuickCheckSaysWhetherRealUprobesWorkWithoutMeasuringTraps() {
        RealUprobes.require();
        HostKernel.Capability c = HostKernel.load().check(RealUprobes.scratch(), false);
        assertTrue(c.usable(), c.summary());
        assertEquals(List.of(), c.trapCosts());
    }
}
