package dev.uprobebench.uret;

import dev.uprobebench.registry.InvariantCounters;
import dev.uprobebench.registry.ReturnProbeSupport;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.sync.CpuSlot;

/**
 * {@code refcount}: Linux 6.12's uretprobe lifetime. {@code prepare_uretprobe()} takes
 * {@code try_get_uprobe()} ({@code refcount_inc_not_zero} on the uprobe's shared count: the line
 * every CPU entering the same function bounces) and the return's {@code put_uprobe()} drops it. A
 * dying uprobe (count 0) gets no return instance. Nothing expires: a return that never comes keeps
 * the uprobe, and its memory, forever. Published {@code trig-uretprobe-nop} on 80 cores: 2.20 /
 * 7.32 / 5.93 / 4.93 M/s at 1 / 8 / 32 / 80 threads (A. Nakryiko, 6.13 series).
 */
public final class RefcountLifetime extends UretprobeLifetime {
    RefcountLifetime(ReturnProbeSupport registry, InvariantCounters invariants) {
        super(registry, invariants);
    }

    @Override
    public Lifetime design() {
        return Lifetime.REFCOUNT;
    }

    @Override
    boolean enter(CpuSlot slot, Uprobe u, int generation, ReturnInstance ri) {
        if (!registry.tryGet(u)) {
            return false;
        }
        ri.publish(u, generation, -1, ReturnInstance.STABLE);
        return true;
    }

    /** 6.12 had no state to exchange and no timer to race with: the owner reads and writes it plainly. */
    @Override
    int consume(ReturnInstance ri) {
        int s = ri.stateOwner();
        ri.setStateOwner(ReturnInstance.CONSUMED);
        return s;
    }
}
