package dev.uprobebench.mm;

import dev.uprobebench.registry.InvariantCounters;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RbNode;
import dev.uprobebench.sync.GracePeriods;
import dev.uprobebench.sync.Rcu;
import dev.uprobebench.sync.RcuFlavour;
import dev.uprobebench.sync.RcuRbTree;

/**
 * A process's address space ({@code struct mm_struct}): the VMAs a breakpoint address is resolved
 * through before the registry is searched (DESIGN.md section 7).
 *
 * <h2>Assumptions and guarantees</h2>
 * <ul>
 *   <li>VMAs are kept in an {@link RcuRbTree} keyed by start address, which lockless readers
 *       search under RCU. The kernel uses a maple tree; what matters here is the same: a lockless
 *       walk that may see a stale or half-rotated tree, never a freed node, and is validated by
 *       the sequence afterwards. Under {@code mmap_read_lock} the walk is exact.</li>
 *   <li>{@link #mmap} and {@link #munmap} take {@link MmapLock} for writing (so the sequence is
 *       odd throughout their changes), may run on any thread, and are serialized by it. A VMA
 *       leaves the tree and is marked detached under the lock; its file is closed at once (files
 *       are type-stable, not RCU-freed, see {@link MappedFile}); the VMA itself is freed after a
 *       grace period of this address space's RCU ({@code vm_area_free}'s {@code call_rcu}, 6.14),
 *       or at once with {@link VmaLookup#SPECULATIVE_TYPESAFE} (6.15's type-safe VMA cache: it
 *       may be reused for another mapping under a reader, who revalidates).</li>
 *   <li>Each write section also records its mapping in {@link MappingTruth}, apart from the tree,
 *       so that every accepted hit can be checked against what was really mapped.</li>
 *   <li>Readers go through a {@link VmaWalker} of their own (one per thread, allocated on that
 *       thread) and a {@link CpuSlot}; with a QSBR flavour they announce quiescent states through
 *       {@link #quiescent} as they do for the registry.</li>
 *   <li>Violations go to the registry's {@link InvariantCounters}: a hit accepted through a VMA or
 *       file changed before it was validated ({@link Violation#STALE_VMA}), a VMA seen freed
 *       inside a read section ({@link Violation#VMA_USE_AFTER_FREE}), double frees, leaks.</li>
 * </ul>
 */
public final class AddressSpace implements AutoCloseable {
    public static final long PAGE_SIZE = 4096;

    /** Test-only variants. */
    public record Options(MmHooks hooks, GracePeriods gracePeriods) {
        public static final Options NONE = new Options(MmHooks.NONE, GracePeriods.KERNEL);

        public Options withHooks(MmHooks h) {
            return new Options(h, gracePeriods);
        }

        /** With other RCU (tests: one whose grace periods end at once frees VMAs under their readers). */
        public Options withGracePeriods(GracePeriods g) {
            return new Options(hooks, g);
        }
    }

    final VmaLookup lookup;
    final RcuRbTree tree = new RcuRbTree();
    final MmapLock lock = new MmapLock();
    final Rcu rcu;
    final InvariantCounters invariants;
    final MmHooks hooks;
    final int stepBound;
    private final VmaPool vmas;
    private final FilePool files;
    /** What the writers mapped, kept apart from the tree: the translation check's truth. */
    final MappingTruth truth = new MappingTruth();

    /**
     * @param slots per-CPU slots of the RCU that guards VMAs; readers use the slot ids they use
     *     for the registry
     * @param vmaCapacity VMAs that can exist at once, linked or waiting for their grace period
     */
    public AddressSpace(VmaLookup lookup, int slots, int vmaCapacity, RcuFlavour flavour, int stepBound,
            InvariantCounters invariants, Options options) {
        if (lookup == VmaLookup.NONE) {
            throw new IllegalArgumentException("VMA lookup 'none' has no address space; valid here: mmap-lock, speculative");
        }
        this.lookup = lookup;
        this.rcu = options.gracePeriods().rcu(flavour, slots);
        this.invariants = invariants;
        this.hooks = options.hooks();
        this.stepBound = stepBound;
        this.vmas = new VmaPool(vmaCapacity, invariants);
        this.files = new FilePool(invariants);
    }

    public VmaLookup lookup() {
        return lookup;
    }

    /** A reader's walker: create it on the thread that will use it. */
    public VmaWalker newWalker() {
        return new VmaWalker(this);
    }

    public void online(CpuSlot slot) {
        rcu.online(slot.id());
    }

    public void quiescent(CpuSlot slot) {
        rcu.quiescent(slot.id());
    }

    public void offline(CpuSlot slot) {
        rcu.offline(slot.id());
    }

    /**
     * {@code mmap}: maps {@code [start, start + length)} to {@code inode} from file offset
     * {@code pgoff}. Throws {@link IllegalArgumentException} if the range is empty or overlaps a
     * mapping.
     */
    public void mmap(long start, long length, long inode, long pgoff) {
        if (length <= 0 || start < 0 || start + length < start) {
            throw new IllegalArgumentException("bad mapping [" + start + ", +" + length + ")");
        }
        Vma v = allocateVma(start, start + length, pgoff);
        lock.writeLock();
        try {
            RbNode below = tree.findFloorBounded(0, start + length - 1, Integer.MAX_VALUE);
            if (below != null && ((Vma) below).end() > start) {
                throw new IllegalArgumentException("mapping [" + Long.toHexString(start) + ", "
                        + Long.toHexString(start + length) + ") overlaps " + below);
            }
            v.setFile(files.open(inode));
            v.markLinked();
            tree.insertOrFind(v, 0, start);
            truth.record(start, start + length, inode, pgoff);
            v = null;
        } finally {
            // every write section moves the sequence, a refused one too: the truth is published at
            // each even value the sequence takes, so that no hit validated there goes unchecked
            truth.publish(lock.sequenceOpaque() + 1);
            lock.writeUnlock();
            if (v != null) {
                vmas.free(v); // never linked, never seen by a reader
            }
        }
    }

    /** Takes a VMA from the pool, waiting (outside the lock) for grace periods while it is empty. */
    private Vma allocateVma(long start, long end, long pgoff) {
        for (int attempt = 0; ; attempt++) {
            Vma v = vmas.tryAllocate(start, end, pgoff);
            if (v != null) {
                return v;
            }
            if (attempt == 2) {
                throw new IllegalStateException("VMA pool exhausted: " + vmas.capacity()
                        + " VMAs, all mapped or waiting for a grace period");
            }
            rcu.barrier();
        }
    }

    /** {@code munmap} of the mapping that starts at {@code start}; throws if there is none. */
    public void munmap(long start) {
        Vma v;
        lock.writeLock();
        try {
            RbNode n = tree.find(0, start);
            if (n == null) {
                throw new IllegalArgumentException("no mapping starts at " + Long.toHexString(start));
            }
            v = (Vma) n;
            tree.erase(v);
            v.markDetached();
            files.close(v.fileAcquire()); // fput: the file may be reused at once
            truth.forget(start);
        } finally {
            truth.publish(lock.sequenceOpaque() + 1);
            lock.writeUnlock();
        }
        if (lookup.typesafe()) {
            vmas.free(v); // 6.15: SLAB_TYPESAFE_BY_RCU, back in the cache at once and reusable
        } else {
            Vma freed = v;
            rcu.call(() -> vmas.free(freed)); // 6.14: vm_area_free's call_rcu
        }
    }

    /** Mappings in the tree (writer's view; exact when no writer runs). */
    public int mappings() {
        return tree.size();
    }

    /** {@code exit_mmap}: unmaps everything. No reader may run. */
    public void unmapAll() {
        while (true) {
            RbNode root = tree.rootAcquire();
            if (root == null) {
                return;
            }
            munmap(root.keyLo());
        }
    }

    /**
     * Teardown check after {@link #unmapAll()} with every thread stopped: VMAs not back in the pool,
     * files still open, a lock or sequence left held, readers still inside; each a
     * {@link Violation#LEAK}.
     */
    public long checkLeaks() {
        rcu.barrier();
        long leaks = vmas.inUse() + files.open() + lock.readersOpaque() + (lock.isWriteLocked() ? 1 : 0)
                + (lock.sequenceOdd() ? 1 : 0) + rcu.readersInside();
        if (leaks > 0) {
            invariants.countShared(Violation.LEAK, leaks);
        }
        return leaks;
    }

    @Override
    public void close() {
        rcu.close();
    }
}
