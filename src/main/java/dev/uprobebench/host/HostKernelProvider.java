package dev.uprobebench.host;

import dev.uprobebench.registry.HostKernel;
import java.util.ArrayList;
import java.util.List;

/** The host layer behind {@link HostKernel}, found by {@link java.util.ServiceLoader}. */
public final class HostKernelProvider implements HostKernel {
    /** Timed batches per trap kind, and hits per batch: about a third of a second in all. */
    static final int REPETITIONS = 5;
    static final long NOP5_HITS = 20_000;
    static final long INT3_HITS = 5_000;

    @Override
    public Workload open(WorkloadSpec spec, java.nio.file.Path scratch) throws java.io.IOException {
        HostCapability c = HostCapability.check(scratch);
        if (!c.usable()) {
            throw new UnsupportedOperationException(c.summary());
        }
        return KernelWorkload.open(spec, UprobePmu.ofThisHost(), scratch);
    }

    @Override
    public Capability check(java.nio.file.Path scratch, boolean measureTrapCosts) {
        HostCapability c = HostCapability.check(scratch);
        if (!c.usable() || !measureTrapCosts) {
            return new Capability(c.usable(), c.summary(), c.nop5Path(), List.of());
        }
        try {
            UprobePmu pmu = UprobePmu.ofThisHost();
            List<TrapCost> costs = new ArrayList<>();
            try (ProbeTargets t = ProbeTargets.create(scratch,
                    List.of(ProbeTargets.Trap.NOP5, ProbeTargets.Trap.INT3))) {
                costs.add(TrapCosts.measure(pmu, t.function(0), REPETITIONS, NOP5_HITS));
                costs.add(TrapCosts.measure(pmu, t.function(1), REPETITIONS, INT3_HITS));
            }
            return new Capability(true, c.summary(), c.nop5Path(), List.copyOf(costs));
        } catch (java.io.IOException | RuntimeException e) {
            return new Capability(false, "real uprobes not usable: measuring the trap cost failed: " + e.getMessage(),
                    c.nop5Path(), List.of());
        }
    }
}
