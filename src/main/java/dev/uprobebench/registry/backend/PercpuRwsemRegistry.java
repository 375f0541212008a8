package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.PercpuRwSemaphore;
import dev.uprobebench.sync.Rcu;

/**
 * {@code percpu-rwsem}: Andrii Nakryiko, "uprobes: switch uprobes_treelock to per-CPU RW
 * semaphore" (v2 12/12, July 2024). {@code uprobes_treelock} becomes a
 * {@code percpu_rw_semaphore}; the rest is v6.10 ({@link LockedTreeRegistry}: refcount on every
 * hit, last put frees).
 *
 * <p>Readers no longer bounce a lock word, but still bounce the uprobe's refcount. Writers pay:
 * every register or unregister takes the semaphore for writing, which costs an RCU grace period
 * ({@code rcu_sync_enter}) unless another writer left within the last grace period, and a scan of
 * every slot. That cost is measured on the writer side of the benchmarks.
 *
 * <p>Not modelled: the v2 series built this on its refcount rework and batched registrations
 * ({@code uprobe_register_batch}, one {@code percpu_down_write} for every uprobe of a multi-uprobe
 * attach). The registry interface here registers one key per call, as a tracing session attaching
 * one probe at a time does, so each operation pays its own write lock and, when the semaphore was
 * idle, its own grace period: per-operation writer cost is an upper bound for batched attaches.
 * Batching unregistration's wait is what {@code sync-every} already models. A batch API would need
 * a batched writer workload for every back-end to be compared fairly; it is left for later.
 */
public final class PercpuRwsemRegistry extends LockedTreeRegistry implements RcuReaders {
    private final Rcu rcu;
    private final PercpuRwSemaphore sem;

    public PercpuRwsemRegistry(RegistryConfig config) {
        super(Backend.PERCPU_RWSEM, config);
        this.rcu = config.gracePeriods().rcu(config.rcuFlavour(), config.slots());
        this.sem = new PercpuRwSemaphore(rcu, config.slots());
    }

    @Override
    protected void readLock(CpuSlot slot) {
        sem.readLock(slot.id());
    }

    @Override
    protected void readUnlock(CpuSlot slot) {
        sem.readUnlock(slot.id());
    }

    @Override
    protected void writeLock() {
        sem.writeLock();
    }

    @Override
    protected void writeUnlock() {
        sem.writeUnlock();
    }

    @Override
    public void synchronize() {
        // Frees are immediate (last put); nothing is deferred.
    }

    @Override
    public void barrier() {
        rcu.barrier(); // rcu_sync's return-to-idle callbacks
    }

    @Override
    protected long internalLeaks() {
        // the semaphore's reader counts and lock, the RCU readers still online or inside, and
        // rcu_sync, which must be back to idle once the last writer's grace period has passed
        return (sem.readersActive() != 0 || sem.isWriteLocked() ? 1 : 0) + rcu.readersInside()
                + (sem.readersOnFastPath() ? 0 : 1);
    }

    @Override
    public Rcu rcu() {
        return rcu;
    }
}
