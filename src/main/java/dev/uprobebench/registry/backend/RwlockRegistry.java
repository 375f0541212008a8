package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RbNode;
import dev.uprobebench.sync.RcuRbTree;
import dev.uprobebench.sync.RwSpinLock;

/**
 * {@code rwlock}: the uprobe registry as of Linux v6.10, where {@code uprobes_treelock} became a
 * reader-writer spinlock (Jonathan Haslam, "uprobes: reduce contention on uprobes_tree access",
 * commit 1b8e4ab0b8ad, 2024).
 *
 * <p>Hit path ({@code find_uprobe}): {@code read_lock}; tree search; {@code refcount_inc};
 * {@code read_unlock}; handlers; {@code put_uprobe}. Every hit writes the lock word twice and the
 * uprobe's refcount twice: both lines bounce between CPUs.
 *
 * <p>Lifetime (v6.10): the tree holds one reference on each linked uprobe. Unregistering the last
 * consumer erases the uprobe under {@code write_lock} ({@code delete_uprobe}) and drops the tree's
 * reference; whoever drops the last reference afterwards, possibly a reader that found it just
 * before the erase, frees it at once. A reader can never raise a zero count: it only finds linked
 * uprobes, under the read lock, and linked uprobes hold the tree's reference.
 */
public final class RwlockRegistry extends AbstractRegistry {
    private final RwSpinLock lock = new RwSpinLock();

    public RwlockRegistry(RegistryConfig config) {
        super(Backend.RWLOCK, config);
    }

    @Override
    public long hit(CpuSlot slot, long inode, long offset) {
        lock.readLock();
        RbNode n = tree.findBounded(inode, offset, stepBound);
        if (n == null || n == RcuRbTree.LOST) {
            lock.readUnlock();
            if (n == null) {
                invariants.onMiss(slot, inode, offset);
            } else {
                invariants.onLost(slot);
            }
            return MISS;
        }
        Uprobe u = (Uprobe) n;
        hooks.afterFind(slot, u);
        int gen = invariants.beginUse(slot, u, inode, offset);
        invariants.onGet(slot, u.getAndIncrementRef());
        lock.readUnlock();
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
    public void register(long inode, long offset, UprobeConsumer consumer) {
        lock.writeLock();
        try {
            Uprobe u = (Uprobe) tree.find(inode, offset);
            if (u == null) {
                u = slab.allocate(inode, offset); // refcount 1: the tree's reference
                u.setConsumersRelease(new UprobeConsumer[] {consumer});
                tree.insertOrFind(u, inode, offset);
            } else {
                u.setConsumersRelease(withConsumer(u.consumersAcquire(), consumer));
            }
        } finally {
            lock.writeUnlock();
        }
    }

    @Override
    public void unregister(long inode, long offset, UprobeConsumer consumer) {
        Uprobe erased = null;
        lock.writeLock();
        try {
            Uprobe u = (Uprobe) tree.find(inode, offset);
            UprobeConsumer[] rest = u == null ? null : withoutConsumer(u.consumersAcquire(), consumer);
            if (rest == null) {
                throw notRegistered(inode, offset);
            }
            u.setConsumersRelease(rest);
            if (rest.length == 0) {
                tree.erase(u);
                u.markErased();
                erased = u;
            }
        } finally {
            lock.writeUnlock();
        }
        if (erased != null) {
            hooks.beforePut(erased);
            put(erased);
        }
    }

    @Override
    public void synchronize() {
        // Nothing to wait for: an erased uprobe is unreachable, and the last holder frees it.
    }

    @Override
    protected long internalLeaks() {
        return lock.readersOpaque() != 0 || lock.isWriteLocked() ? 1 : 0;
    }
}
