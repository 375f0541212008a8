package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.HitCheck;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.PercpuRefs;
import dev.uprobebench.sync.RbNode;
import dev.uprobebench.sync.RcuRbTree;

/**
 * {@code percpu-ref}: the "per-CPU refs" design from the 2024 uprobe scalability discussion
 * (Andrii Nakryiko and Peter Zijlstra, "uprobes: RCU-protected lookup with per-CPU refcount"
 * variants on linux-trace-kernel): the lookup of {@code seqcount-rcu}, then a per-CPU reference
 * ({@code percpu_ref_tryget_live}) that keeps the uprobe alive after the RCU read section ends,
 * through the handlers, which may then block.
 *
 * <p>Hit path: RCU read lock; seqcount-checked search; {@code tryGetLive} on the uprobe's
 * {@code percpu_ref} (a dying uprobe is a miss); RCU unlock; handlers; per-CPU put. In per-CPU
 * mode the hit writes only its own slot's counter.
 *
 * <p>Lifetime: the uprobe's refcount counts registrations (under the tree lock, as in
 * {@link SeqcountTreeRegistry}). When the last registration goes, the per-CPU ref is killed:
 * after a grace period it switches to atomic mode; at zero its release erases the node under the
 * seqcount (if a new registration has not already erased it) and frees it after another grace
 * period.
 */
public final class PercpuRefRegistry extends RcuTreeRegistry {
    private final PercpuRefs refs;

    public PercpuRefRegistry(RegistryConfig config) {
        super(Backend.PERCPU_REF, config);
        this.refs = new PercpuRefs(rcu, config.slots(), config.slabCapacity(),
                index -> eraseAndDeferFree(slab.object(index)));
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
        int index = u.slabIndex();
        if (!refs.tryGetLive(s, index)) {
            rcu.readUnlock(s);
            return missed(slot, null, inode, offset); // dying: as good as gone
        }
        int gen = invariants.beginUse(slot, u, found, inode, offset);
        invariants.checkAge(slot, u); // the section's last moment: after it, the reference holds u
        rcu.readUnlock(s);
        hooks.afterReadUnlock(slot, u);
        long result = runHandlers(u);
        invariants.endUse(slot, u, gen, true); // held by its per-CPU reference, outside the section
        refs.put(s, index);
        return result;
    }

    @Override
    protected void initialized(Uprobe fresh) {
        refs.init(fresh.slabIndex());
    }

    @Override
    protected void discarded(Uprobe fresh) {
        refs.exit(fresh.slabIndex());
    }

    @Override
    protected void lastPut(Uprobe u) {
        refs.kill(u.slabIndex());
    }

    /** Test-only: the uprobes' per-CPU references. */
    PercpuRefs refs() {
        return refs;
    }

    /** Adds every freed uprobe whose percpu_ref count is not back to zero. */
    @Override
    protected long internalLeaks() {
        long held = 0;
        for (int i = 0; i < slab.capacity(); i++) {
            if (slab.object(i).isFreedAcquire() && refs.count(i) != 0) {
                held++;
            }
        }
        return super.internalLeaks() + held;
    }

    @Override
    public void barrier() {
        // A kill queues the mode switch; the release at zero queues the free: two rounds.
        rcu.barrier();
        rcu.barrier();
    }
}
