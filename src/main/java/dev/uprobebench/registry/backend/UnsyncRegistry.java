package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.HitCheck;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.registry.UprobeConsumer;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RbNode;
import dev.uprobebench.sync.RcuRbTree;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code unsync}: the uprobe tree with no synchronization at all, the physical limit of the model
 * (tree search plus handlers). Every other back-end's cost is reported as a ratio to this one.
 *
 * <p>Models no kernel design. It is only correct when nothing changes the tree while readers run:
 * the back-end table marks it as not allowing churn, and a second writer entering while another
 * is inside is refused with an {@link IllegalStateException} instead of corrupting the tree.
 * Unregistering frees at once.
 */
public class UnsyncRegistry extends AbstractRegistry {
    private final AtomicBoolean writerInside = new AtomicBoolean();

    public UnsyncRegistry(RegistryConfig config) {
        this(Backend.UNSYNC, config);
    }

    UnsyncRegistry(Backend backend, RegistryConfig config) {
        super(backend, config);
    }

    @Override
    public long hit(CpuSlot slot, long inode, long offset, HitCheck check) {
        return treeHit(slot, inode, offset, check);
    }

    /** The unsynchronized tree search and the use of what it found. */
    protected final long treeHit(CpuSlot slot, long inode, long offset, HitCheck check) {
        RbNode n = tree.findBounded(inode, offset, stepBound);
        if (n == null || n == RcuRbTree.LOST) {
            return missed(slot, n, inode, offset, check);
        }
        return use(slot, (Uprobe) n, inode, offset, check);
    }

    /** The hit on a found uprobe, with nothing to hold it: the checks around the handlers. */
    protected final long use(CpuSlot slot, Uprobe u, long inode, long offset, HitCheck check) {
        int found = u.generationAcquire(); // where the node was found, before anything can recycle it
        hooks.afterFind(slot, u);
        if (!check.found(slot)) {
            return RETRY;
        }
        int gen = invariants.beginUse(slot, u, found, inode, offset);
        long result = runHandlers(u);
        invariants.endUse(slot, u, gen);
        return result;
    }

    private void enterWriter() {
        if (!writerInside.compareAndSet(false, true)) {
            throw new IllegalStateException("back-end '" + backend.cliName()
                    + "' has no synchronization and refuses concurrent writers; run it with churn 0");
        }
    }

    @Override
    public void register(long inode, long offset, UprobeConsumer consumer) {
        enterWriter();
        try {
            addConsumerLocked(inode, offset, consumer);
            linked((Uprobe) tree.find(inode, offset));
        } finally {
            writerInside.set(false);
        }
    }

    @Override
    public void unregister(long inode, long offset, UprobeConsumer consumer) {
        enterWriter();
        try {
            Uprobe u = removeConsumerLocked(inode, offset, consumer);
            if (u.consumersAcquire().length == 0) {
                tree.erase(u);
                unlinked(u);
                u.markErased();
                hooks.beforePut(u);
                u.decrementAndGetRef();
                slab.free(u);
            }
        } finally {
            writerInside.set(false);
        }
    }

    /** A uprobe is in the tree at its key (after every registration). */
    protected void linked(Uprobe u) {
    }

    /** A uprobe left the tree. */
    protected void unlinked(Uprobe u) {
    }

    @Override
    public void synchronize() {
        // Nothing is ever deferred: unregister frees at once.
    }
}
