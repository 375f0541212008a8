package dev.uprobebench.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class HostCapabilityTest {
    @Test
    void aUsableHostSaysWhichNop5PathRan() {
        RealUprobes.require();
        HostCapability c = RealUprobes.capability();
        assertTrue(Set.of("optimised", "trapped").contains(c.nop5Path()), c.nop5Path());
        assertEquals("", c.reason());
        assertTrue(c.summary().startsWith("real uprobes usable"), c.summary());
    }

    @Test
    void theTrialCountsExactlyWhereRealUprobesWork() {
        UprobePmu pmu = RealUprobes.require();
        try (ProbeTargets t = ProbeTargets.create(RealUprobes.scratch(), java.util.List.of(ProbeTargets.Trap.NOP5))) {
            assertEquals(123, HostCapability.countHits(pmu, t.function(0), 123));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
