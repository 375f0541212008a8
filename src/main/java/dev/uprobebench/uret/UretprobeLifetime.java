package dev.uprobebench.uret;

import dev.uprobebench.registry.InvariantCounters;
import dev.uprobebench.registry.ReturnProbeSupport;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.CpuSlot;

/**
 * What keeps a uprobe alive from a return probe's entry to its return.
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>{@link #enter} runs on the entering thread inside the entry hit's read section; on true it
 *       has published {@code ri} with whatever now keeps the uprobe alive.</li>
 *   <li>{@link #consumeAndRelease} runs on the owning thread, once per published instance, inside
 *       {@link ReturnProbeSupport#returnEnter}: it takes the state ({@code hprobe_consume}), runs
 *       the return handlers if the uprobe is still held, and releases it
 *       ({@code hprobe_finalize}). It returns whether the handlers ran.</li>
 *   <li>{@link #expire} runs on the timer thread, inside its own read sections and
 *       {@link #timerGuard} ({@code guard(srcu)}), for any instance it can see, any number of
 *       times, concurrently with the return.</li>
 *   <li>Every SRCU unlock of a lease goes through {@link #unlock}, which counts a second unlock
 *       of one lease as {@link Violation#LEASE_UNLOCK}.</li>
 * </ul>
 */
public abstract class UretprobeLifetime {
    protected final ReturnProbeSupport registry;
    protected final InvariantCounters invariants;

    protected UretprobeLifetime(ReturnProbeSupport registry, InvariantCounters invariants) {
        this.registry = registry;
        this.invariants = invariants;
    }

    public abstract Lifetime design();

    /** {@code prepare_uretprobe()}'s hold on {@code u}; false when none could be taken. */
    abstract boolean enter(CpuSlot slot, Uprobe u, int generation, ReturnInstance ri);

    /** Takes the instance's state at return ({@code hprobe_consume}); test hooks may run first. */
    abstract int consume(ReturnInstance ri);

    /** The timer's {@code hprobe_expire(hprobe, false)}; returns 1 for STABLE, 2 for GONE, 0 if it did nothing. */
    int expire(CpuSlot timerSlot, ReturnInstance ri) {
        return 0;
    }

    /** The timer's {@code guard(srcu)(&uretprobes_srcu)}: the index to pass to {@link #timerUnguard}. */
    int timerGuard(CpuSlot timerSlot) {
        return -1;
    }

    void timerUnguard(CpuSlot timerSlot, int idx) {
    }

    /** Unlocks the lease's SRCU read section, on the calling thread's {@code slot}. */
    protected void srcuUnlock(CpuSlot slot, int idx) {
        registry.uretprobeDomain().readUnlock(slot.id(), idx);
    }

    /** The one unlock of a lease: counted, and a second one is a violation. */
    protected final void unlock(CpuSlot slot, ReturnInstance ri) {
        if (ri.countUnlock() != 0) {
            invariants.count(slot, Violation.LEASE_UNLOCK);
        }
        srcuUnlock(slot, ri.srcuIdx);
    }

    /** {@link #consumeAndRelease}'s result: the return handlers ran. */
    static final int RAN = 1;
    /** {@link #consumeAndRelease}'s result: the return unlocked the lease itself. */
    static final int UNLOCKED = 2;

    /**
     * The return ({@code handle_trampoline}, inside the caller's read section): consume, run the
     * return handlers on a held uprobe, finalize. Returns {@link #RAN} and {@link #UNLOCKED} as
     * they happened.
     */
    final int consumeAndRelease(CpuSlot slot, ReturnInstance ri) {
        int state = consume(ri);
        Uprobe u = ri.uprobe;
        boolean ran = false;
        if (state == ReturnInstance.LEASED || state == ReturnInstance.STABLE) {
            int gen = ri.generation;
            if (u.isFreedAcquire() || u.generationAcquire() != gen) {
                invariants.count(slot, Violation.RETURN_USE_AFTER_FREE);
            } else {
                ReturnProbes.runReturnHandlers(u);
                ran = true;
                if (u.isFreedAcquire() || u.generationAcquire() != gen) {
                    invariants.count(slot, Violation.RETURN_USE_AFTER_FREE);
                }
            }
        } else if (state == ReturnInstance.CONSUMED) {
            invariants.count(slot, Violation.LEASE_UNLOCK); // consumed twice: its release ran twice
        }
        // hprobe_finalize()
        int done = ran ? RAN : 0;
        if (state == ReturnInstance.LEASED) {
            unlock(slot, ri);
            done |= UNLOCKED;
        } else if (state == ReturnInstance.STABLE) {
            registry.putUprobe(u);
        }
        // ri.uprobe is left as it is: a timer that read LEASED just before our exchange may still be
        // about to read it (and finds the uprobe allocated: it is inside its own SRCU and RCU guards).
        return done;
    }
}
