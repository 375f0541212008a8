package dev.uprobebench.host;

import dev.uprobebench.registry.HostKernel;
import dev.uprobebench.registry.LostHitCheck;
import java.util.List;

/**
 * The churn writer of the {@code kernel} back-end: registers and unregisters uprobes on the spare
 * probe targets, in turn, so that the kernel's uprobe registry is written while readers hit
 * (register = {@code perf_event_open} + enable, unregister = {@code close}, which in the kernel
 * waits for its grace period: {@code uprobe_unregister_sync()}).
 *
 * <p>Each operation also checks the churned probe: while registered it counts exactly the one call
 * the writer makes of its function, and after {@code close} nothing is left to count. Confined to
 * one thread.
 */
public final class KernelChurner implements HostKernel.Writer {
    private final UprobePmu pmu;
    private final List<ProbeTargets.Function> spare;
    private final boolean retprobe;
    private int next;
    private long operations;
    private LostHitCheck check = LostHitCheck.NONE;

    public KernelChurner(UprobePmu pmu, List<ProbeTargets.Function> spare, boolean retprobe) {
        if (spare.isEmpty()) {
            throw new IllegalArgumentException("the churn writer needs at least one spare probe target");
        }
        this.pmu = pmu;
        this.spare = List.copyOf(spare);
        this.retprobe = retprobe;
    }

    /** Registers the next spare target's probe and enables it. */
    public UprobeEvent register() {
        ProbeTargets.Function f = spare.get(next);
        next = (next + 1) % spare.size();
        UprobeEvent e = UprobeEvent.forThisThread(pmu, f.file(), f.offset(), retprobe);
        try {
            e.enable();
            return e;
        } catch (RuntimeException x) {
            e.close();
            throw x;
        }
    }

    /**
     * One register, one call of the probed function, one unregister: two registry writes. The
     * call's count joins {@link #check()}.
     */
    @Override
    public void churnOnce() {
        ProbeTargets.Function f = spare.get(next);
        try (UprobeEvent e = register()) {
            f.call();
            e.disable();
            check = check.plus(LostHitCheck.of(new long[] {1}, new long[] {e.count()}));
        }
        operations += 2;
    }

    /** Registrations plus unregistrations so far. */
    @Override
    public long operations() {
        return operations;
    }

    /** The churned probes' counts against the writer's calls while they were registered. */
    @Override
    public LostHitCheck check() {
        return check;
    }
}
