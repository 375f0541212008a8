package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.HitCheck;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RbNode;
import dev.uprobebench.sync.RcuRbTree;

/**
 * The v6.10 registry shape shared by {@code rwlock} and {@code percpu-rwsem}: a reader-writer lock
 * around the tree, a refcount taken on every hit, the last put frees.
 *
 * <p>Hit path ({@code find_uprobe}): read lock; tree search; {@code refcount_inc}; read unlock;
 * handlers; {@code put_uprobe}. Lifetime: the tree holds one reference on each linked uprobe.
 * Unregistering the last consumer erases the uprobe under the write lock ({@code delete_uprobe})
 * and drops the tree's reference; whoever drops the last reference afterwards, possibly a reader
 * that found it just before the erase, frees it at once. A reader can never raise a zero count: it
 * only finds linked uprobes, under the read lock, and linked uprobes hold the tree's reference.
 */
abstract class LockedTreeRegistry extends AbstractRegistry {
    LockedTreeRegistry(Backend backend, RegistryConfig config) {
        super(backend, config);
    }

    protected abstract void readLock(CpuSlot slot);

    protected abstract void readUnlock(CpuSlot slot);

    protected abstract void writeLock();

    protected abstract void writeUnlock();

    @Override
    public final long hit(CpuSlot slot, long inode, long offset, HitCheck check) {
        readLock(slot);
        RbNode n = tree.findBounded(inode, offset, stepBound);
        if (n == null || n == RcuRbTree.LOST) {
            readUnlock(slot);
            return missed(slot, n, inode, offset, check);
        }
        Uprobe u = (Uprobe) n;
        int found = u.generationAcquire(); // where the node was found, before anything can recycle it
        hooks.afterFind(slot, u);
        if (!check.found(slot)) {
            readUnlock(slot);
            return RETRY;
        }
        int gen = invariants.beginUse(slot, u, found, inode, offset);
        invariants.onGet(slot, u.getAndIncrementRef());
        readUnlock(slot);
        hooks.afterReadUnlock(slot, u);
        long result = runHandlers(u);
        invariants.endUse(slot, u, gen);
        put(u);
        return result;
    }

    private void put(Uprobe u) {
        if (u.decrementAndGetRef() == 0) {
            slab.free(u);
        }
    }

    @Override
    public final void register(long inode, long offset, UprobeConsumer consumer) {
        writeLock();
        try {
            addConsumerLocked(inode, offset, consumer);
        } finally {
            writeUnlock();
        }
    }

    @Override
    public final void unregister(long inode, long offset, UprobeConsumer consumer) {
        Uprobe erased = null;
        int generation = 0;
        writeLock();
        try {
            Uprobe u = removeConsumerLocked(inode, offset, consumer);
            if (u.consumersAcquire().length == 0) {
                tree.erase(u);
                u.markErased();
                erased = u;
                generation = u.generationAcquire();
            }
        } finally {
            writeUnlock();
        }
        if (erased != null) {
            hooks.beforePut(erased);
            checkWriterUse(erased, generation); // the tree's reference still keeps it alive
            put(erased);
        }
    }
}
