package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RbNode;
import dev.uprobebench.sync.RcuRbTree;
import dev.uprobebench.sync.SeqCount;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write side shared by the back-ends whose readers search the tree without a lock
 * ({@code seqcount-rcu}, {@code srcu}, {@code seqcount-rcu-rfc}), as in Linux 6.12
 * {@code kernel/events/uprobes.c}.
 *
 * <ul>
 *   <li>Each registration holds one reference on its uprobe. Insert, under the tree's write lock
 *       and inside a seqcount write section: find or add; an existing uprobe whose
 *       {@code try_get_uprobe()} ({@code refcount_inc_not_zero}) fails is dying: erase it and
 *       retry ({@code __insert_uprobe}).</li>
 *   <li>The last {@code put_uprobe()} takes the write lock and erases the uprobe inside a seqcount
 *       write section if it is still linked, then defers the free past the back-end's grace
 *       period ({@link #deferFree}).</li>
 *   <li>Lookup ({@link #findRetrying}) is {@code find_uprobe_rcu()}: a hit is always right; a miss is
 *       final only if no writer ran during the search.</li>
 * </ul>
 */
abstract class SeqcountTreeRegistry extends AbstractRegistry {
    protected final SeqCount seqcount = new SeqCount();
    /** {@code uprobes_treelock}'s write side; readers never take it. */
    private final ReentrantLock treeLock = new ReentrantLock();

    SeqcountTreeRegistry(Backend backend, RegistryConfig config) {
        super(backend, config);
    }

    /** Frees {@code u} after the back-end's grace period ({@code call_rcu}, {@code call_srcu}). */
    protected abstract void deferFree(Uprobe u);

    /** Waits until every deferred free queued so far has run. */
    @Override
    public abstract void barrier();

    /**
     * {@code find_uprobe_rcu()}: the uprobe, {@code null} for a final miss, or
     * {@link RcuRbTree#LOST}. The caller is inside its read-side section.
     */
    protected final RbNode findRetrying(CpuSlot slot, long inode, long offset) {
        while (true) {
            long seq = seqcount.begin();
            RbNode n = tree.findBounded(inode, offset, stepBound);
            if (n != null || !hooks.lookupMustRetry(seqcount, seq)) {
                return n;
            }
            invariants.onRetry(slot);
        }
    }

    private Uprobe allocate(long inode, long offset) {
        Uprobe u = slab.tryAllocate(inode, offset);
        if (u == null) {
            // Objects may be waiting for a grace period: let them come back before giving up.
            barrier();
            u = slab.allocate(inode, offset);
        }
        return u;
    }

    /**
     * {@code uprobe_register()}, shaped as the kernel's: the new uprobe is allocated before the tree
     * lock is taken ({@code alloc_uprobe}), so that waiting for the slab (a grace period's frees)
     * never happens under the lock a reader's last put may need; then {@code insert_uprobe()}: under
     * the lock and inside one seqcount write section, find or add, and erase a dying uprobe and
     * retry ({@code __insert_uprobe}), so that the key is never seen absent with an even count. An
     * existing live uprobe is shared and the new one freed unpublished.
     */
    @Override
    public final void register(long inode, long offset, UprobeConsumer consumer) {
        Uprobe fresh = allocate(inode, offset); // refcount 1: this registration
        initialized(fresh);
        fresh.setConsumersRelease(new UprobeConsumer[] {consumer});
        Uprobe u;
        treeLock.lock();
        try {
            seqcount.writeBegin();
            try {
                u = insertLocked(fresh, inode, offset);
            } finally {
                seqcount.writeEnd();
            }
            if (u != fresh) {
                u.setConsumersRelease(withConsumer(u.consumersAcquire(), consumer));
            }
        } finally {
            treeLock.unlock();
        }
        if (u != fresh) {
            discarded(fresh);
            slab.free(fresh); // never published
        }
    }

    /**
     * {@code __insert_uprobe()}, under the lock and the seqcount: the uprobe now at the key, with a
     * reference for the caller ({@code fresh}, or an existing one whose {@code try_get_uprobe()}
     * succeeded).
     */
    private Uprobe insertLocked(Uprobe fresh, long inode, long offset) {
        while (true) {
            Uprobe u = (Uprobe) tree.insertOrFind(fresh, inode, offset);
            if (u == null || u == fresh) {
                return fresh;
            }
            hooks.afterWriterFind(u);
            checkWriterUse(u); // linked, so not freed yet: the grace period waits for this lock's holder
            if (u.tryGetRef()) {
                return u;
            }
            // Dying: its last put dropped the count to 0 and waits for this lock to erase it.
            tree.erase(u);
            u.markErased(graceEpoch());
        }
    }

    @Override
    public final void unregister(long inode, long offset, UprobeConsumer consumer) {
        Uprobe u;
        int generation;
        treeLock.lock();
        try {
            u = removeConsumerLocked(inode, offset, consumer);
            generation = u.generationAcquire();
        } finally {
            treeLock.unlock();
        }
        hooks.beforePut(u);
        checkWriterUse(u, generation); // this registration's reference still keeps u alive
        put(u);
    }

    /** {@code put_uprobe()}. */
    protected final void put(Uprobe u) {
        if (u.decrementAndGetRef() != 0) {
            return;
        }
        lastPut(u);
    }

    /** The last reference is gone: erase and free after a grace period (overridable). */
    protected void lastPut(Uprobe u) {
        eraseAndDeferFree(u);
    }

    /** A new uprobe, before it is published in the tree. */
    protected void initialized(Uprobe fresh) {
    }

    /** An {@link #initialized} uprobe that was never published (the key had a live one): undo. */
    protected void discarded(Uprobe fresh) {
    }

    /** Erases {@code u} under the seqcount if it is still linked, then defers its free. */
    protected final void eraseAndDeferFree(Uprobe u) {
        checkWriterUse(u); // the last put's caller: nothing has freed u yet
        treeLock.lock();
        try {
            if (u.isLinked()) {
                seqcount.writeBegin();
                tree.erase(u);
                u.markErased(graceEpoch());
                seqcount.writeEnd();
            }
        } finally {
            treeLock.unlock();
        }
        deferFree(u);
    }

    /** Test-only: the tree lock, so that a test can hold it across a leak check or a put. */
    ReentrantLock treeLock() {
        return treeLock;
    }

    @Override
    protected long internalLeaks() {
        return (seqcount.valueOpaque() & 1) + (treeLock.isLocked() ? 1 : 0);
    }
}
