package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.HitCheck;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RbNode;
import dev.uprobebench.sync.RcuRbTree;

/**
 * {@code seqcount-rcu-rfc}: <b>unsafe on purpose</b>, the negative control. Peter Zijlstra's RFC
 * "perf/uprobe: RCU-ify find_uprobe()" as posted (July 2024): the lookup runs under RCU with a
 * seqcount retry on misses, but a hit takes an <em>unconditional</em> reference
 * ({@code get_uprobe()}, {@code refcount_inc}) and the handlers run outside the read section on
 * the strength of that reference.
 *
 * <p>Oleg Nesterov's race: the reader finds U; the unregistering thread's last
 * {@code put_uprobe()} drops U's count to 0, erases it and queues the {@code call_rcu} free; the
 * reader's {@code get_uprobe()} raises 0 to 1 (resurrection) and it keeps using U after the grace
 * period has freed it (use after free). The fix that landed, {@code try_get_uprobe()} and then no
 * refcount on the hit path at all, is {@code seqcount-rcu}. The checker must catch this back-end.
 *
 * <p>So that the harness survives the bug it exposes, the reader does not put a reference it took
 * on a zero count (the resurrection is counted; the kernel would queue a second free of U there),
 * nor one on an object that was freed or recycled under it (that use after free is counted).
 */
public final class SeqcountRcuRfcRegistry extends RcuTreeRegistry {

    public SeqcountRcuRfcRegistry(RegistryConfig config) {
        super(Backend.SEQCOUNT_RCU_RFC, config);
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
        int oldRef = u.getAndIncrementRef(); // get_uprobe(): 0 -> 1 allowed, the bug
        invariants.onGet(slot, oldRef);
        if (oldRef > 0) {
            invariants.checkAge(slot, u); // a live reference holds u after the section: judged here
        }
        rcu.readUnlock(s);
        hooks.afterReadUnlock(slot, u);
        long result = runHandlers(u);
        invariants.endUse(slot, u, gen, oldRef > 0); // a resurrected reference protects nothing
        if (oldRef > 0 && !u.isFreedAcquire() && u.generationAcquire() == gen) {
            put(u);
        }
        return result;
    }
}
