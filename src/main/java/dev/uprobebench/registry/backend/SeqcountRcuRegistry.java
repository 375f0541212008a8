package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.HitCheck;
import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RbNode;
import dev.uprobebench.sync.RcuRbTree;

/**
 * {@code seqcount-rcu}: mainline since Linux 6.13, "uprobes: switch to RCU Tasks Trace flavor for
 * better performance" (Andrii Nakryiko): the lockless {@code find_uprobe_rcu()} that 6.12 shipped
 * under SRCU ({@code srcu}, commit 50a38035ed5c, "uprobes: perform lockless SRCU-protected
 * uprobes_tree lookup"), now under {@code rcu_read_lock_trace()}.
 *
 * <p>Hit path: RCU read lock; {@code find_uprobe_rcu()} (seqcount-checked lockless search); the
 * handlers, still inside the read section; RCU unlock. No reference is taken: nothing shared is
 * written on the hit path. A removed uprobe is erased under the seqcount by its last put and freed
 * by {@code call_rcu} after a grace period, off the unregistering thread.
 *
 * <p>The kernel protects this path with RCU Tasks Trace; the flavour here is the profile's choice:
 * QSBR (the default, the closest model of non-preemptible RCU) or memb (a fenced read side).
 */
public final class SeqcountRcuRegistry extends RcuTreeRegistry {

    public SeqcountRcuRegistry(RegistryConfig config) {
        super(Backend.SEQCOUNT_RCU, config);
    }

    @Override
    public long hit(CpuSlot slot, long inode, long offset, HitCheck check) {
        int s = slot.id();
        rcu.readLock(s);
        RbNode n = findRetrying(slot, inode, offset);
        if (n == null || n == RcuRbTree.LOST) {
            rcu.readUnlock(s);
            return missed(slot, n, inode, offset, check);
        }
        Uprobe u = (Uprobe) n;
        int found = u.generationAcquire(); // where the node was found, before anything can recycle it
        hooks.afterFind(slot, u);
        if (!check.found(slot)) {
            rcu.readUnlock(s);
            return RETRY;
        }
        int gen = invariants.beginUse(slot, u, found, inode, offset);
        long result = runHandlers(u);
        invariants.endUse(slot, u, gen);
        rcu.readUnlock(s);
        return result;
    }
}
