package dev.uprobebench.mm;

import dev.uprobebench.registry.HitCheck;
import dev.uprobebench.registry.UprobeRegistry;
import dev.uprobebench.registry.Violation;
import dev.uprobebench.sync.CpuSlot;
import dev.uprobebench.sync.RbNode;
import dev.uprobebench.sync.RcuRbTree;

/**
 * One reader's way from a breakpoint address to the uprobe: {@code find_active_uprobe_rcu()} with
 * the address space's {@link VmaLookup}. Also the {@link HitCheck} the registry consults between
 * its lookup and the use, which is where the translation is validated.
 *
 * <h2>Protocols</h2>
 * {@code mmap-lock} (up to 6.13): {@code mmap_read_lock}; {@code vma_lookup}; the file's inode and
 * the file offset; registry lookup; {@code mmap_read_unlock} (in {@link #found} or
 * {@link #missed}); handlers.
 *
 * <p>{@code speculative} (6.14, {@code find_active_uprobe_speculative}): RCU read lock;
 * {@code mmap_lock_speculate_try_begin}, failing while a writer holds the lock; {@code vma_lookup}
 * without the lock; {@code READ_ONCE(vma->vm_file)} and its inode (possibly a recycled file's);
 * registry lookup; {@code mmap_lock_speculate_retry} in {@link #found}; RCU read unlock. Any
 * failure, including a miss, falls back to the {@code mmap-lock} path, as the kernel does.
 *
 * <h2>Checks</h2>
 * Before validating, the walker re-reads the VMA's state and generation and the file's
 * generation. A writer makes the sequence odd before it changes either (see {@link MmapLock}), so
 * a change seen here and a validation that still passes is a broken speculation: counted as
 * {@link Violation#STALE_VMA}, with no false positive. Under {@code mmap_read_lock} any change at
 * all is one. Before leaving its RCU read section a speculative reader checks that the VMA it used
 * was not freed or recycled ({@link Violation#VMA_USE_AFTER_FREE}); with
 * {@link VmaLookup#SPECULATIVE_TYPESAFE} such a reuse is legal, the reader revalidates the VMA
 * ({@link MmHooks#revalidate}) before it uses the translation, and a hit accepted through a reused
 * VMA is {@link Violation#VMA_REUSED}. Every accepted hit's (inode, offset) is held against the
 * writer's own record of what it mapped at the validated sequence ({@link MappingTruth}): a
 * mismatch is {@link Violation#WRONG_TRANSLATION}.
 *
 * <p>Not thread-safe: one per reader thread, allocated there (its fields are written on every
 * hit and must not share a line with another reader's).
 */
public final class VmaWalker implements HitCheck {
    private final AddressSpace mm;
    private boolean speculating;
    private Vma vma;
    private int vmaGeneration;
    private MappedFile file;
    private int fileGeneration;
    private long sequence;
    private long vaddr;
    private long inode;
    private long offset;
    /** Accepted hits whose sequence had left the truth's ring, so that their translation was not checked. */
    private long translationsUnchecked;
    /** Typesafe speculations whose VMA failed revalidation (reused or detached under them): a subset of the fallbacks. */
    private long revalidationFallbacks;
    /** Speculative attempts, and those that fell back to {@code mmap_read_lock}. */
    private long speculations;
    private long fallbacks;
    /** Speculations that gave up at the tree's step bound (a subset of {@link #fallbacks}). */
    private long stepBoundFallbacks;

    /**
     * What the walker calls once it has a translation: the registry's hit with this walker as its
     * check, or a return-probe task's (whose entry runs {@code prepare_uretprobe()} inside it).
     */
    @FunctionalInterface
    public interface Lookup {
        long hit(CpuSlot slot, long inode, long offset, HitCheck check);
    }

    VmaWalker(AddressSpace mm) {
        this.mm = mm;
    }

    public long speculations() {
        return speculations;
    }

    public long fallbacks() {
        return fallbacks;
    }

    /**
     * Speculative lookups that gave up at the step bound and fell back under the lock: counted apart
     * from the ordinary fallbacks (a writer, or a miss), since a correct tree never reaches the bound.
     */
    public long stepBoundFallbacks() {
        return stepBoundFallbacks;
    }

    /** Typesafe speculations that found their VMA reused or detached when they revalidated it, and fell back. */
    public long revalidationFallbacks() {
        return revalidationFallbacks;
    }

    /** Accepted hits not held against the writer's truth because it had moved on by more than its ring keeps. */
    public long translationsUnchecked() {
        return translationsUnchecked;
    }

    /**
     * The hit at {@code vaddr}: the registry's result, {@link UprobeRegistry#MISS} when no uprobe
     * (or no mapping) is there.
     */
    public long hit(CpuSlot slot, long vaddr, UprobeRegistry registry) {
        return hit(slot, vaddr, registry::hit);
    }

    /**
     * The hit at {@code vaddr} through {@code registry}: {@link #hit(CpuSlot, long, UprobeRegistry)}
     * with another lookup at its end (a return-probe task's, so that an entry resolves its address
     * as any hit does). Make the lookup once per reader, not per hit.
     */
    public long hit(CpuSlot slot, long vaddr, Lookup registry) {
        if (mm.lookup.speculative()) {
            speculations++;
            long r = speculate(slot, vaddr, registry);
            if (r != UprobeRegistry.RETRY) {
                return r;
            }
            fallbacks++;
        }
        return locked(slot, vaddr, registry);
    }

    private long speculate(CpuSlot slot, long vaddr, Lookup registry) {
        int s = slot.id();
        boolean typesafe = mm.lookup.typesafe();
        mm.rcu.readLock(s);
        long r = UprobeRegistry.RETRY;
        long seq = mm.lock.speculateTryBegin();
        if (seq >= 0) {
            RbNode n = mm.tree.findFloorBounded(0, vaddr, mm.stepBound);
            if (n == RcuRbTree.LOST) {
                stepBoundFallbacks++;
            }
            if (n != null && n != RcuRbTree.LOST) {
                Vma v = (Vma) n;
                int vgen = v.generationAcquire();
                // typesafe: the state, read with acquire after the generation, must say linked before
                // the fields are read (they are written before the VMA is marked linked)
                MappedFile f = !typesafe || v.stateAcquire() == Vma.State.LINKED ? v.fileAcquire() : null;
                if (f != null && v.contains(vaddr)) {
                    long ino = f.inodeAcquire();
                    long off = v.fileOffset(vaddr);
                    mm.hooks.afterSpeculativeRead(slot, v);
                    if (typesafe && !mm.hooks.revalidate(v, vgen, vaddr)) {
                        revalidationFallbacks++; // reused or detached since it was found: the locked path
                    } else {
                        arm(true, v, vgen, f, seq, vaddr, ino, off);
                        r = registry.hit(slot, ino, off, this);
                    }
                }
                // 6.14: no VMA is freed inside a read section; 6.15 reuses them there, legally
                if (!typesafe && (v.stateAcquire() == Vma.State.FREED || v.generationAcquire() != vgen)) {
                    mm.invariants.count(slot, Violation.VMA_USE_AFTER_FREE);
                }
            }
        }
        mm.rcu.readUnlock(s);
        vma = null;
        file = null;
        return r;
    }

    private long locked(CpuSlot slot, long vaddr, Lookup registry) {
        mm.lock.readLock();
        RbNode n = mm.tree.findFloorBounded(0, vaddr, mm.stepBound);
        Vma v = n == null || n == RcuRbTree.LOST ? null : (Vma) n;
        if (n == RcuRbTree.LOST) {
            mm.invariants.onLost(slot);
        }
        MappedFile f = v == null ? null : v.fileAcquire();
        if (f == null || !v.contains(vaddr)) {
            mm.lock.readUnlock();
            mm.invariants.onMiss(slot, MappedFile.POISON, vaddr); // no mapping there: not a uprobe hit
            return UprobeRegistry.MISS;
        }
        long ino = f.inodeAcquire();
        long off = v.fileOffset(vaddr);
        arm(false, v, v.generationAcquire(), f, 0, vaddr, ino, off);
        long r = registry.hit(slot, ino, off, this);
        vma = null;
        file = null;
        return r;
    }

    private void arm(boolean speculative, Vma v, int vgen, MappedFile f, long seq, long at, long ino, long off) {
        speculating = speculative;
        vaddr = at;
        inode = ino;
        offset = off;
        vma = v;
        vmaGeneration = vgen;
        file = f;
        fileGeneration = f.generationAcquire();
        sequence = seq;
    }

    /** The translation changed since it was read (acquire loads, before the sequence is read again). */
    private boolean changed() {
        return vma.stateAcquire() != Vma.State.LINKED || vma.generationAcquire() != vmaGeneration
                || file.generationAcquire() != fileGeneration;
    }

    @Override
    public boolean found(CpuSlot slot) {
        boolean stale = changed();
        if (speculating) {
            boolean valid = !mm.hooks.speculationMustRetry(mm.lock, sequence);
            if (valid) {
                accepted(slot, stale, sequence);
            }
            return valid;
        }
        accepted(slot, stale, mm.lock.sequenceOpaque()); // under the read lock: even, and no writer can move it
        mm.lock.readUnlock();
        return true;
    }

    /**
     * An accepted hit's checks: a VMA reused since it was found (typesafe), else one changed
     * ({@link Violation#STALE_VMA}); and the translation against what the writer mapped at the
     * sequence the hit validated against ({@link Violation#WRONG_TRANSLATION}).
     */
    private void accepted(CpuSlot slot, boolean stale, long seq) {
        if (stale) {
            boolean reused = mm.lookup.typesafe() && vma.generationAcquire() != vmaGeneration;
            mm.invariants.count(slot, reused ? Violation.VMA_REUSED : Violation.STALE_VMA);
        }
        MappingTruth.Snapshot t = mm.truth.at(seq);
        if (t == null) {
            translationsUnchecked++;
        } else if (!t.maps(vaddr, inode, offset)) {
            mm.invariants.count(slot, Violation.WRONG_TRANSLATION);
        }
    }

    @Override
    public boolean missed(CpuSlot slot) {
        if (speculating) {
            return false; // a speculative miss is never final: the kernel retries under the lock
        }
        mm.lock.readUnlock();
        return true;
    }
}
