package dev.uprobebench.host;

import dev.uprobebench.registry.HostKernel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * The {@code kernel} back-end's probe targets for one run: {@code stable} functions the readers
 * hit and {@code spare} ones the churn writer probes, all of the spec's trap kind, in one file.
 */
final class KernelWorkload implements HostKernel.Workload {
    private final HostKernel.WorkloadSpec spec;
    private final UprobePmu pmu;
    private final ProbeTargets targets;

    private KernelWorkload(HostKernel.WorkloadSpec spec, UprobePmu pmu, ProbeTargets targets) {
        this.spec = spec;
        this.pmu = pmu;
        this.targets = targets;
    }

    static KernelWorkload open(HostKernel.WorkloadSpec spec, UprobePmu pmu, Path scratch) throws IOException {
        ProbeTargets.Trap trap = ProbeTargets.Trap.valueOf(spec.trap().toUpperCase(java.util.Locale.ROOT));
        return new KernelWorkload(spec, pmu, ProbeTargets.create(scratch,
                Collections.nCopies(spec.stable() + spec.spare(), trap)));
    }

    private List<ProbeTargets.Function> stable() {
        return targets.functions().subList(0, spec.stable());
    }

    @Override
    public HostKernel.Reader reader() {
        return spec.probed() ? KernelReader.open(pmu, stable(), spec.retprobe()) : KernelReader.unprobed(stable());
    }

    @Override
    public HostKernel.Writer writer() {
        return new KernelChurner(pmu, targets.functions().subList(spec.stable(), targets.functions().size()),
                spec.retprobe());
    }

    @Override
    public void close() {
        targets.close();
    }
}
