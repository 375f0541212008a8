package dev.uprobebench.uret;

import dev.uprobebench.registry.InvariantCounters;
import dev.uprobebench.registry.ReturnProbeSupport;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.Srcu;

/**
 * {@code hprobe}: Linux 6.13, "uprobes: SRCU-protect uretprobe lifetime (with timeout)"
 * (A. Nakryiko). The entry takes no reference: {@code __srcu_read_lock(&uretprobes_srcu)} and a
 * lease {LEASED, uprobe, srcu index} ({@code hprobe_init_leased}); a uprobe's free waits out an
 * {@code uretprobes_srcu} grace period first, so a leased uprobe stays allocated.
 *
 * <p>Protocol, as in {@code kernel/events/uprobes.c}:
 * <ul>
 *   <li><b>Timer</b> ({@code ri_timer} → {@code hprobe_expire(hprobe, false)}), under its own
 *       {@code guard(srcu)}: on LEASED, {@code try_get_uprobe()}, then compare-and-set LEASED to
 *       STABLE (the reference is now the instance's) or GONE (the count was 0); the winner does the
 *       lease's {@code __srcu_read_unlock}; a loser puts the reference it took.</li>
 *   <li><b>Return</b> ({@code handle_trampoline}): {@code hprobe_consume} exchanges the state for
 *       CONSUMED; LEASED and STABLE run the return handlers; then {@code hprobe_finalize}: LEASED
 *       unlocks the lease, STABLE puts the reference, GONE does nothing (no handler ran on a
 *       dying uprobe).</li>
 * </ul>
 * Exactly one side unlocks each lease: the compare-and-set and the exchange decide it. A test
 * double (in test sources) replaces both with a read and a volatile write, so that both sides can
 * see LEASED and both unlock. Published {@code trig-uretprobe-nop} on 80 cores: 1.97 / 13.66 / 45.3 /
 * 47.6 M/s at 1 / 8 / 32 / 80 threads.
 */
public class HprobeLifetime extends UretprobeLifetime {
    private final LeaseHooks hooks;

    HprobeLifetime(ReturnProbeSupport registry, InvariantCounters invariants, LeaseHooks hooks) {
        super(registry, invariants);
        this.hooks = hooks;
    }

    @Override
    public Lifetime design() {
        return Lifetime.HPROBE;
    }

    /** {@code __srcu_read_lock(&uretprobes_srcu)}: fenced (smp_mb). */
    protected int srcuLock(CpuSlot slot) {
        return registry.uretprobeDomain().readLock(slot.id());
    }

    @Override
    boolean enter(CpuSlot slot, Uprobe u, int generation, ReturnInstance ri) {
        ri.publish(u, generation, srcuLock(slot), ReturnInstance.LEASED);
        return true;
    }

    @Override
    int consume(ReturnInstance ri) {
        hooks.returnBeforeSwap(ri);
        return exchangeForConsumed(ri);
    }

    /**
     * {@code hprobe_consume()}'s {@code xchg}: the state becomes CONSUMED and the one it replaced
     * is returned, in one atomic step, so that a timer's compare-and-set from LEASED fails after it.
     * (A separate step so that a test can take the atomicity away and see both sides unlock.)
     */
    int exchangeForConsumed(ReturnInstance ri) {
        return ri.getAndSetState(ReturnInstance.CONSUMED);
    }

    /**
     * {@code hprobe_expire()}'s {@code try_cmpxchg} from LEASED to {@code next}: false when the
     * return's exchange came first. (A separate step for the same test.)
     */
    boolean claimFromLeased(ReturnInstance ri, int next) {
        return ri.compareAndSetState(ReturnInstance.LEASED, next);
    }

    /**
     * Guards the calling timer thread holds now (the -ea check below): per thread, since every
     * task has a timer thread of its own and all of them share this lifetime.
     */
    private final ThreadLocal<int[]> timerGuards = ThreadLocal.withInitial(() -> new int[1]);

    @Override
    int expire(CpuSlot timerSlot, ReturnInstance ri) {
        assert timerGuards.get()[0] > 0 : "hprobe_expire() outside the timer's guard(srcu)(&uretprobes_srcu): the uprobe a "
                + "lease names may be freed under it";
        if (ri.stateAcquire() != ReturnInstance.LEASED) {
            return 0; // STABLE, GONE or CONSUMED: nothing to do (get == false)
        }
        hooks.timerSawLeased(ri);
        Uprobe u = ri.uprobe; // written before the state's release; kept allocated by our guard
        boolean got = registry.tryGet(u);
        int next = got ? ReturnInstance.STABLE : ReturnInstance.GONE;
        hooks.timerBeforeSwap(ri);
        if (!claimFromLeased(ri, next)) {
            if (got) {
                registry.putUprobe(u); // lost the race: undo our reference
            }
            return 0;
        }
        unlock(timerSlot, ri); // we won: ours is the lease's one unlock
        return got ? 1 : 2;
    }

    @Override
    int timerGuard(CpuSlot timerSlot) {
        int idx = srcuLock(timerSlot);
        timerGuards.get()[0]++;
        return idx;
    }

    @Override
    void timerUnguard(CpuSlot timerSlot, int idx) {
        timerGuards.get()[0]--;
        srcuUnlock(timerSlot, idx);
    }

    Srcu domain() {
        return registry.uretprobeDomain();
    }
}
