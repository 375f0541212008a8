package dev.uprobebench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KernelTableTest {
    private static ConfigOutcome kernel(int readers, double... forks) {
        return Outcomes.with(Outcomes.withForks("kernel", readers, forks), "label", "kernel (nop5)");
    }

    private static List<Analysis.Row> scenario() {
        return Analysis.of(List.of(kernel(1, 100, 100, 100), kernel(2, 150, 160, 140),
                Outcomes.withForks("seqcount-rcu", 1, 10, 10, 10), Outcomes.withForks("seqcount-rcu", 2, 20, 20, 20),
                Outcomes.withForks("srcu", 2, 30, 30, 30))).rows();
    }

    /** The kernel's scaling over the model's, per round: (1.5, 1.6, 1.4) / 2 has a geometric mean of 0.749. */
    @Test
    void theKernelsScalingIsHeldAgainstTheModelOfItsOwnDesignRoundByRound() {
        String t = KernelTable.table(scenario(), "6.18.44-fc");
        assertTrue(t.contains("`seqcount-rcu`"), t);
        assertTrue(t.contains("| kernel (nop5) | 2 | 150.0 | 1.50 ["), t);
        assertTrue(t.contains("| 2.00 [2.00, 2.00] | 1.26 | 0.75 ["), t);
        Analysis.Row k2 = scenario().stream().filter(r -> r.outcome().spec().backend().equals("kernel")
                && r.outcome().spec().readers() == 2).findFirst().orElseThrow();
        Analysis.Row m2 = scenario().stream().filter(r -> r.outcome().spec().backend().equals("seqcount-rcu")
                && r.outcome().spec().readers() == 2).findFirst().orElseThrow();
        Estimate s = KernelTable.scaling(scenario(), k2, m2);
        assertEquals(Math.cbrt(0.75 * 0.8 * 0.7), s.mean(), 1e-9);
        assertTrue(s.low() < s.mean() && s.mean() < s.high());
    }

    /** The model is the host's own design: srcu on 6.12, and none of the table without that row. */
    @Test
    void theModelIsTheHostsDesignAndTheTableIsOmittedWithoutIt() {
        assertTrue(KernelTable.table(scenario(), "6.12.3").contains("`srcu`"));
        assertEquals("", KernelTable.table(scenario(), "6.10.0"), "no rwlock row: nothing to hold the kernel against");
        assertEquals("", KernelTable.table(scenario().stream().filter(r -> !r.outcome().spec().backend()
                .equals("kernel")).toList(), "6.18.44"));
    }
}
