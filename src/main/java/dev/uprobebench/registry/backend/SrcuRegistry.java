package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.HitCheck;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RbNode;
import dev.uprobebench.sync.RcuRbTree;
import dev.uprobebench.sync.Srcu;

/**
 * {@code srcu}: Andrii Nakryiko, "uprobes: SRCU-protected uprobe lookup" (v3 of the uprobe
 * scalability series, Aug 2024; the SRCU-based hot path, before RCU Tasks Trace replaced it).
 *
 * <p>Hit path: {@code srcu_read_lock(&uprobes_srcu)}; seqcount-checked lockless search; handlers;
 * {@code srcu_read_unlock}. No refcount. A removed uprobe is erased under the seqcount by its last
 * put and freed by {@code call_srcu} after an SRCU grace period. Each hit writes only its own
 * slot's lock and unlock counts, but pays two full fences.
 */
public final class SrcuRegistry extends SeqcountTreeRegistry {
    final Srcu srcu;

    @Override
    protected long graceEpoch() {
        return srcu.completedAcquire();
    }

    public SrcuRegistry(RegistryConfig config) {
        super(Backend.SRCU, config);
        this.srcu = config.gracePeriods().srcu(config.slots());
    }

    @Override
    public long hit(CpuSlot slot, long inode, long offset, HitCheck check) {
        int s = slot.id();
        int idx = srcu.readLock(s);
        RbNode n = findRetrying(slot, inode, offset);
        if (n == null || n == RcuRbTree.LOST) {
            srcu.readUnlock(s, idx);
            return missed(slot, n, inode, offset, check);
        }
        Uprobe u = (Uprobe) n;
        int found = u.generationAcquire(); // where the node was found, before anything can recycle it
        hooks.afterFind(slot, u);
        if (!check.found(slot)) {
            srcu.readUnlock(s, idx);
            return RETRY;
        }
        int gen = invariants.beginUse(slot, u, found, inode, offset);
        long result = runHandlers(u);
        invariants.endUse(slot, u, gen);
        srcu.readUnlock(s, idx);
        return result;
    }

    @Override
    protected void deferFree(Uprobe u) {
        srcu.call(() -> slab.free(u));
    }

    @Override
    public void barrier() {
        srcu.barrier();
    }

    @Override
    public void synchronize() {
        srcu.synchronize();
    }

    @Override
    protected long internalLeaks() {
        return super.internalLeaks() + srcu.readersInside();
    }

    @Override
    public void close() {
        srcu.close();
    }
}
