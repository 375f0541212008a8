package dev.uprobebench.host;

import dev.uprobebench.registry.HostKernel;
import dev.uprobebench.registry.LostHitCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The {@code kernel} back-end's probe targets for one run: {@code stable} functions the readers
 * hit and {@code spare} ones the churn writer probes, all of the spec's trap kind, in one file;
 * with {@code attach=shared}, also one tracefs probe per stable target, counted on every CPU.
 */
final class KernelWorkload implements HostKernel.Workload {
    private final HostKernel.WorkloadSpec spec;
    private final UprobePmu pmu;
    private final ProbeTargets targets;
    private final List<SharedUprobe> shared;

    private KernelWorkload(HostKernel.WorkloadSpec spec, UprobePmu pmu, ProbeTargets targets, List<SharedUprobe> shared) {
        this.spec = spec;
        this.pmu = pmu;
        this.targets = targets;
        this.shared = shared;
    }

    static KernelWorkload open(HostKernel.WorkloadSpec spec, UprobePmu pmu, Path scratch) throws IOException {
        ProbeTargets.Trap trap = ProbeTargets.Trap.valueOf(spec.trap().toUpperCase(java.util.Locale.ROOT));
        ProbeTargets targets = ProbeTargets.create(scratch, Collections.nCopies(spec.stable() + spec.spare(), trap));
        List<SharedUprobe> shared = new ArrayList<>();
        try {
            if (spec.shared() && spec.probed()) {
                Tracefs tracefs = Tracefs.mountOrFind();
                int cpus = Runtime.getRuntime().availableProcessors();
                for (ProbeTargets.Function f : targets.functions().subList(0, spec.stable())) {
                    shared.add(SharedUprobe.open(tracefs, f, spec.retprobe(), cpus));
                }
            }
        } catch (IOException | RuntimeException e) {
            shared.forEach(SharedUprobe::close);
            targets.close();
            throw e;
        }
        return new KernelWorkload(spec, pmu, targets, List.copyOf(shared));
    }

    private List<ProbeTargets.Function> stable() {
        return targets.functions().subList(0, spec.stable());
    }

    @Override
    public HostKernel.Reader reader() {
        return spec.probed() && !spec.shared() ? KernelReader.open(pmu, stable(), spec.retprobe())
                : KernelReader.unprobed(stable());
    }

    @Override
    public HostKernel.Writer writer() {
        return new KernelChurner(pmu, targets.functions().subList(spec.stable(), targets.functions().size()),
                spec.retprobe());
    }

    @Override
    public LostHitCheck finishShared(List<long[]> callsPerTarget) {
        if (shared.isEmpty()) {
            return LostHitCheck.NONE;
        }
        long[] calls = new long[shared.size()];
        for (long[] reader : callsPerTarget) {
            for (int i = 0; i < calls.length; i++) {
                calls[i] += reader[i];
            }
        }
        long[] counts = new long[shared.size()];
        for (int i = 0; i < counts.length; i++) {
            SharedUprobe p = shared.get(i);
            p.disable();
            for (long c : p.counts()) {
                counts[i] += c;
            }
        }
        return LostHitCheck.of(calls, counts);
    }

    @Override
    public void close() {
        try {
            shared.forEach(SharedUprobe::close);
        } finally {
            targets.close();
        }
    }
}
