package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RwSpinLock;

/**
 * {@code rwlock}: the uprobe registry as of Linux v6.10, where {@code uprobes_treelock} became a
 * reader-writer spinlock (Jonathan Haslam, "uprobes: reduce contention on uprobes_tree access",
 * commit 1b8e4ab0b8ad, 2024). The protocol is {@link LockedTreeRegistry}'s; every hit writes the
 * lock word twice and the uprobe's refcount twice, and both lines bounce between CPUs.
 */
public final class RwlockRegistry extends LockedTreeRegistry {
    private final RwSpinLock lock = new RwSpinLock();

    public RwlockRegistry(RegistryConfig config) {
        super(Backend.RWLOCK, config);
    }

    @Override
    protected void readLock(CpuSlot slot) {
        lock.readLock();
    }

    @Override
    protected void readUnlock(CpuSlot slot) {
        lock.readUnlock();
    }

    @Override
    protected void writeLock() {
        lock.writeLock();
    }

    @Override
    protected void writeUnlock() {
        lock.writeUnlock();
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
