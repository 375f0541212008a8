package dev.uprobebench.registry.backend;

import dev.uprobebench.registry.Backend;
import dev.uprobebench.registry.HitCheck;
import dev.uprobebench.registry.RegistryConfig;
import dev.uprobebench.registry.Uprobe;
import dev.uprobebench.sync.CpuSlot;

/**
 * {@code null}: the null baseline, refscale's trivial reader at uprobe scale. A hit does only what
 * every back-end's hit does besides its registry: the harness's key choice, the invariant checks
 * and the handlers, with the uprobe taken from a dense array indexed by key instead of a tree
 * search, and no synchronization. Its figure is the per-hit cost no design can go below in this
 * harness, shown in every report so that the other figures can be read against it.
 *
 * <p>Models no kernel design. Readers only (no churn), as {@code unsync}; keys outside the dense
 * range (inodes 1 and 2, offsets below the slab's capacity, which covers the benchmarks' stable
 * and churn keys) fall back to {@code unsync}'s tree search.
 */
public final class NullRegistry extends UnsyncRegistry {
    static final int DENSE_INODES = 2;
    private final Uprobe[][] dense;

    public NullRegistry(RegistryConfig config) {
        super(Backend.NULL, config);
        dense = new Uprobe[DENSE_INODES][config.slabCapacity()];
    }

    private boolean isDense(long inode, long offset) {
        return inode >= 1 && inode <= DENSE_INODES && offset >= 0 && offset < dense[0].length;
    }

    @Override
    public long hit(CpuSlot slot, long inode, long offset, HitCheck check) {
        if (!isDense(inode, offset)) {
            return treeHit(slot, inode, offset, check);
        }
        Uprobe u = dense[(int) inode - 1][(int) offset];
        if (u == null) {
            return missed(slot, null, inode, offset, check);
        }
        return use(slot, u, inode, offset, check);
    }

    @Override
    protected void linked(Uprobe u) {
        if (isDense(u.inode(), u.offset())) {
            dense[(int) u.inode() - 1][(int) u.offset()] = u;
        }
    }

    @Override
    protected void unlinked(Uprobe u) {
        if (isDense(u.inode(), u.offset())) {
            dense[(int) u.inode() - 1][(int) u.offset()] = null;
        }
    }
}
